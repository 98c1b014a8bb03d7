#!/bin/sh
# Makes the published-versions site the browser test reads:
#
#   tests/browser/versions-site.sh RASCI WORK_DIR SITE_DIR
#
# In WORK_DIR (a new folder), a git repository of the base fixture with two tagged
# versions, then a third state in the working tree (party `customer` renamed `client`,
# a task added) listing both tags under `versions:`; RASCI builds it into SITE_DIR.
set -eu
rasci="$1"
work="$2"
site="$3"
here="$(cd "$(dirname "$0")/../.." && pwd)"
mkdir "$work"
cp -R "$here/tests/fixtures/base/." "$work/"
g() { git -C "$work" -c user.name=Writer -c user.email=writer@example.com -c commit.gpgsign=false "$@"; }
g init -q
g add -A
g commit -q -m "2025.1"
g tag v2025.1
sed 's/customer: "C, I"/customer: C/' "$work/data/tasks.yaml" >"$work/tasks.tmp"
mv "$work/tasks.tmp" "$work/data/tasks.yaml"
g commit -q -a -m "2025.2"
g tag v2025.2
cat >"$work/data/parties.yaml" <<'YAML'
parties:
  - id: vendor
    name: Vendor
  - id: client
    name: Client
    aliases: [customer]
YAML
cat >"$work/data/tasks.yaml" <<'YAML'
sections:
  - id: general
    tasks:
      - id: run
        title: Run it
        rasci: { vendor: "A, R", client: C }
      - id: train
        title: Train the staff
        rasci: { vendor: "A, R", client: S }
YAML
cat >>"$work/rasci.yaml" <<'YAML'
versions:
  - id: "2025.2"
    name: 2025.2 (October)
    revision: v2025.2
    effective: 2025-10-01
  - id: "2025.1"
    name: 2025.1 (April)
    revision: v2025.1
    effective: 2025-04-01
YAML
"$rasci" build --root "$work" --out "$site"
