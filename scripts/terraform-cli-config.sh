#!/usr/bin/env bash
# Writes the project's Terraform CLI configuration to the file named by $1.
# With TF_PLUGIN_MIRROR (a provider filesystem mirror: the directory holding
# registry.terraform.io), the providers it holds install from it and only from
# it; every other provider downloads from its registry as usual. Without it,
# every provider downloads as usual.
set -euo pipefail
out=${1:?usage: scripts/terraform-cli-config.sh <file to write>}

providers=()
if [ -n "${TF_PLUGIN_MIRROR:-}" ]; then
  if [ ! -d "$TF_PLUGIN_MIRROR" ]; then
    echo "TF_PLUGIN_MIRROR=$TF_PLUGIN_MIRROR is not a directory: point it at the directory holding registry.terraform.io, or unset it to download providers" >&2
    exit 1
  fi
  # A mirror holds <hostname>/<namespace>/<type>/..., packed (zip files) or unpacked (version directories).
  for dir in "$TF_PLUGIN_MIRROR"/*/*/*/; do
    [ -d "$dir" ] || continue
    dir=${dir%/}
    providers+=("\"${dir#"$TF_PLUGIN_MIRROR"/}\"")
  done
fi

{
  echo "# Written by scripts/terraform-cli-config.sh; regenerated on every run."
  echo "provider_installation {"
  if [ "${#providers[@]}" -gt 0 ]; then
    list=$(IFS=,; echo "${providers[*]}")
    list=${list//,/, }
    printf '  filesystem_mirror {\n    path    = "%s"\n    include = [%s]\n  }\n' "$TF_PLUGIN_MIRROR" "$list"
    printf '  direct {\n    exclude = [%s]\n  }\n' "$list"
  else
    printf '  direct {}\n'
  fi
  echo "}"
} >"$out"
