"""Where each test recording comes from: upstream repository, commit, path and licence.

Used by ``scripts/fixture_registry.py`` to write the registry. Every upstream here is a public
Git repository; a file is fetched as ``{base}/{repository}/{commit}/{path}`` with the base
``https://raw.githubusercontent.com`` unless ``WALKRX_FIXTURES_BASE_URL`` (or ``--base-url``)
says otherwise.

How far each address was checked is written in ``UPSTREAMS[...]["checked"]``: the paths and
commits were looked up in an index of public repositories (no upstream host can be reached from
the machine the registry was written on), text files were compared by length, and byte-for-byte
only where the note says so. A wrong address shows up the first time anyone runs
``scripts/fetch-fixtures.sh`` with network access: the download then fails, or is refused for a
wrong SHA-256, naming the file.
"""

from __future__ import annotations

import re
from typing import Any

UPSTREAMS: dict[str, dict[str, str]] = {
    "ggir": {
        "repository": "wadpac/GGIR",
        "licence": "Apache-2.0",
        "checked": "path and commit found in the index (binary file: bytes not compared)",
    },
    "ggirread": {
        "repository": "wadpac/GGIRread",
        "licence": "Apache-2.0",
        "checked": (
            "ax6 and the corrupt-block copy found in the index at their commits; ax3_testfile.cwa "
            "is named by that commit's tests/testthat/test_readAxivity.R (system.file "
            "testfiles/ax3_testfile.cwa) but is not in the index; the Fitbit JSON has the "
            "fixture's length (1915 characters, ASCII)"
        ),
    },
    "healthkit-to-sqlite": {
        "repository": "dogsheep/healthkit-to-sqlite",
        "licence": "Apache-2.0",
        "checked": (
            "paths found in the index; zip_contents' export.xml and GPX have the fixture's length "
            "in characters (2877, 1113) at e488c6a. The index's tests/export.xml (3e1b294) is "
            "3561 characters, the fixture 3197: the fixture is the other stored version, whose "
            "commit the index does not give. e488c6a (the commit that added zip_contents, whose "
            "export.xml is the same document without the later DietaryFatTotal record) is used "
            "as the most likely commit; a wrong guess shows up as a refused download"
        ),
    },
    "fitdecode": {
        "repository": "polyvertex/fitdecode",
        "licence": "MIT",
        "checked": (
            "tests/test_reader.py at this commit opens tests/files/<name> and "
            "tests/files/invalid/<name> for these files; the files themselves are not in the "
            "index (the same files are in dtcooper/python-fitparse tests/files/, where the walk "
            "CSV has the fixture's length, 1629)"
        ),
    },
    "ipol-gait": {
        "repository": "CyrilVoisard/ipol_dataset_1",
        "licence": "AGPL-3.0",
        "citation": (
            "Voisard C. et al., A reference data set for the study of healthy subject gait with "
            "inertial measurements units, IPOL 2023"
        ),
        "checked": (
            "commit from the fixtures' reference.json; GaitData/<subject>-<trial>_lb.txt read in "
            "the index: the conversion below reproduces the fixture's first rows (m/s2 / 9.80665 "
            "to g, rad/s to deg/s, PacketCounter / 100 to s); the reference converter, fed "
            "GaitData/1-1.json, reproduces S01/Trial1/reference.json byte for byte when the foot "
            "sensors' PacketCounter equals their row index (the foot files are too large to read "
            "here, so that mapping is unverified). The licence file's upstream path (LICENSE) is "
            "assumed: licence files are not in the index"
        ),
    },
    "oxford-step-counter": {
        "repository": "Oxford-step-counter/DataSet",
        "licence": "CC-BY-4.0",
        "checked": (
            "commit from the fixtures' reference.json; accelerometer CSVs read in the index: the "
            "conversion reproduces the fixture's first rows (ns to s from the first sample, "
            "m/s2 / 9.80665 to g); the reference converter (foot-switch rising edges counted as "
            "optimisation/stats.js counts them; validation: column 6 increments) reproduces the "
            "first initial contacts and every text field; sampling figures and counts need the "
            "whole file, not read here"
        ),
    },
    "stepcount": {
        "repository": "jhuwit/stepcount",
        "licence": "MIT (package); data: OxWalk, Small S.R. et al., University of Oxford, 2022, CC-BY-4.0",
        "checked": (
            "commits from the fixture's reference.json; inst/extdata/P30_wrist100.csv.gz found "
            "in the index (gzip: its columns could not be read here, so both conversions are "
            "unverified until a first fetch)"
        ),
    },
    "mobgap": {
        "repository": "mobilise-d/mobgap",
        "licence": "Apache-2.0",
        "checked": (
            "example_data/data/lab/HA/<id>/data.mat found in the index; its SHA-256 is taken from "
            "mobgap's own pooch registry (mobgap/data/_example_data_registry.txt) at this commit "
            "and checked on download. The MATLAB file itself could not be read here, so the "
            "conversion (written from mobgap's loader) is unverified until a first fetch; the "
            "fixtures' reference.json names no commit"
        ),
    },
}

GGIRREAD_AX = "15b9b6ecc02415494c7674366e7f2dde741864c9"
FITDECODE = "18d5d16208ec386aa33f487015806ba2cab66bf0"
IPOL = "b9f4bbb3758135b877acf1676da3e5bae527314b"
OXFORD = "922cc0d8511a7189f7a667d173c21e9472729603"
#: mobgap's own pooch registry (mobgap/data/_example_data_registry.txt at this commit) gives
#: the SHA-256 of each data.mat, so the upstream file is verified before it is converted.
MOBGAP_COMMIT = "2928c3c7350aea995d19d094e34caea8c1678b63"
MOBGAP_DATA_SHA256 = {
    "HA_001": "f1570054e195c44791cf4381e27083afb1c83432da6ae94078ed27c88bef12fc",
    "HA_002": "cf3128d30bd3a8916d0fafc2a6c3f470880bc701ac7f30e43b2eb04e8a262adf",
}
#: Oxford recordings whose folder holds the operator's notes.txt (seen in the index's listing).
OXFORD_WITH_NOTES = {"Samsung_Carmelo_Hard_FrontPocket_1", "Samsung_Carmelo_Hard_FrontPocket_2"}
STEPCOUNT_SIGNAL = "fb7a114c5639c775301951b5dbdfe1edd607bb33"


def _download(upstream: str, commit: str, path: str) -> dict[str, Any]:
    return {"upstream": upstream, "source": {"kind": "download", "commit": commit, "path": path}}


def _converted(upstream: str, commit: str, inputs: list[str], converter: str) -> dict[str, Any]:
    src = {"kind": "converted", "commit": commit, "inputs": inputs, "converter": converter}
    return {"upstream": upstream, "source": src}


def source_of(rel: str) -> dict[str, Any]:
    """Upstream, licence and source of the fixture file ``rel`` (a POSIX relative path)."""
    folder, _, rest = rel.partition("/")
    name = rel.rsplit("/", 1)[-1]
    out: dict[str, Any]
    if folder == "actigraph":
        out = _download(
            "ggir", "5632c7595a7139693829b85887322f12a5044275", f"inst/testfiles/{name}"
        )
    elif folder == "axivity":
        commit = "1ad50fd692b39a5a30534752fbdf7f4837c5822f" if "corrupt" in name else GGIRREAD_AX
        out = _download("ggirread", commit, f"inst/testfiles/{name}")
    elif folder == "fitbit":
        out = _download(
            "ggirread", "207d712ae4ef53b10946dd9eccbd5aa295eaad9e", f"inst/testfiles/{name}"
        )
    elif folder == "apple-health":
        commit = "e488c6addd4b647c2e4917b94e3e320cb7df5456"
        out = _download("healthkit-to-sqlite", commit, f"tests/{rest}")
    elif folder == "garmin":
        out = _download("fitdecode", FITDECODE, f"tests/files/{rest}")
    elif folder == "lowerback-walks":
        if rest == "LICENSE.txt":
            out = _download("ipol-gait", IPOL, "LICENSE")
        else:
            m = re.fullmatch(r"S(\d+)/Trial(\d+)/(lowerback\.csv|reference\.json)", rest)
            if not m:
                raise ValueError(f"{rel}: no upstream rule for this file")
            stem = f"GaitData/{int(m[1])}-{m[2]}"
            if m[3] == "lowerback.csv":
                out = _converted("ipol-gait", IPOL, [f"{stem}_lb.txt"], "ipol_lowerback")
            else:
                out = _converted(
                    "ipol-gait",
                    IPOL,
                    [f"{stem}.json", f"{stem}_lb.txt", f"{stem}_lf.txt", f"{stem}_rf.txt"],
                    "ipol_reference",
                )
    elif folder == "pocket-steps":
        stem = name.split(".", 1)[0]
        if stem.startswith("validation_"):
            inputs = [f"validation/{stem.removeprefix('validation_')}.csv"]
        else:
            inputs = [f"optimisation/data/{stem}/accelerometer.csv"]
        if name.endswith(".reference.json"):
            if not stem.startswith("validation_"):
                inputs.append(f"optimisation/data/{stem}/stepcounter.csv")
                if stem in OXFORD_WITH_NOTES:
                    inputs.append(f"optimisation/data/{stem}/notes.txt")
            out = _converted("oxford-step-counter", OXFORD, inputs, "oxford_pocket_reference")
        else:
            out = _converted("oxford-step-counter", OXFORD, inputs, "oxford_pocket")
    elif folder == "wrist-free-living":
        inputs = ["inst/extdata/P30_wrist100.csv.gz"]
        if name == "wrist.csv":
            out = _converted("stepcount", STEPCOUNT_SIGNAL, inputs, "stepcount_wrist")
        else:
            out = _converted(
                "stepcount",
                "be610bd0e60fa0c7e66348054b8f5926dba4ec3c",
                inputs,
                "stepcount_wrist_reference",
            )
    elif folder == "lowerback-lab":
        subject = rest.split("/", 1)[0]
        mat = f"example_data/data/lab/{subject.replace('_', '/')}/data.mat"
        out = _converted("mobgap", MOBGAP_COMMIT, [mat], "mobgap_lab")
        out["source"]["input_sha256"] = {mat: MOBGAP_DATA_SHA256[subject]}
    else:
        raise ValueError(f"{rel}: no upstream rule for the folder {folder!r}")
    out["licence"] = UPSTREAMS[out["upstream"]]["licence"]
    return out
