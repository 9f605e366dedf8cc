# Sourced by scripts/test.sh, scripts/cdktf.sh and .ci/run: finds what the tests need from the
# machine when the environment does not say, without hard-coding paths.
#   TF_PLUGIN_MIRROR  Terraform provider filesystem mirror (the directory holding registry.terraform.io)
# PostgreSQL's server binaries are not looked for here: the tests take them from the pinned
# pg-server-<major> npm packages (PG_BIN_DIR, when set, replaces them with one server of its own).

if [ -z "${TF_PLUGIN_MIRROR:-}" ]; then
  # The first mirror that holds hashicorp/aws, outside project working directories and scratch space.
  # find exits 1 on unreadable directories (any non-root user); that must not end a caller running with set -e.
  registry=$( (find / -xdev -maxdepth 4 \( -path /tmp -o -path /var/tmp -o -path /proc -o -name .terraform \) -prune -o -type d -name registry.terraform.io -print 2>/dev/null || true) |
    while read -r candidate; do if [ -d "$candidate/hashicorp/aws" ]; then echo "$candidate"; break; fi; done)
  if [ -n "$registry" ]; then TF_PLUGIN_MIRROR=$(dirname "$registry"); fi
fi
if [ -n "${TF_PLUGIN_MIRROR:-}" ]; then export TF_PLUGIN_MIRROR; fi
