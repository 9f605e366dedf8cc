# Sourced by scripts/test.sh and .ci/run: finds what the tests need from the
# machine when the environment does not say, without hard-coding paths.
#   PG_BIN_DIR        directory of initdb, pg_ctl and postgres (PostgreSQL server binaries)
#   TF_PLUGIN_MIRROR  Terraform provider filesystem mirror (the directory holding registry.terraform.io)

if [ -z "${PG_BIN_DIR:-}" ]; then
  for candidate in "$(pg_config --bindir 2>/dev/null || true)" "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")"; do
    if [ -n "$candidate" ] && [ -x "$candidate/initdb" ]; then PG_BIN_DIR="$candidate"; break; fi
  done
fi
if [ -z "${PG_BIN_DIR:-}" ] && command -v dpkg-query >/dev/null 2>&1; then
  for package in $(dpkg-query -W -f='${Package}\n' 'postgresql-[0-9]*' 2>/dev/null | grep -E '^postgresql-[0-9]+$' | sort -t- -k2 -n -r); do
    initdb=$(dpkg -L "$package" 2>/dev/null | grep '/bin/initdb$' | head -n 1)
    if [ -n "$initdb" ]; then PG_BIN_DIR=$(dirname "$initdb"); break; fi
  done
fi
if [ -n "${PG_BIN_DIR:-}" ]; then export PG_BIN_DIR; fi

if [ -z "${TF_PLUGIN_MIRROR:-}" ]; then
  # The first mirror that holds hashicorp/aws, outside project working directories and scratch space.
  # find exits 1 on unreadable directories (any non-root user); that must not end a caller running with set -e.
  registry=$( (find / -xdev -maxdepth 4 \( -path /tmp -o -path /var/tmp -o -path /proc -o -name .terraform \) -prune -o -type d -name registry.terraform.io -print 2>/dev/null || true) |
    while read -r candidate; do if [ -d "$candidate/hashicorp/aws" ]; then echo "$candidate"; break; fi; done)
  if [ -n "$registry" ]; then TF_PLUGIN_MIRROR=$(dirname "$registry"); fi
fi
if [ -n "${TF_PLUGIN_MIRROR:-}" ]; then export TF_PLUGIN_MIRROR; fi
