#!/usr/bin/env bash
# Writes the project's Terraform CLI configuration to the file named by $1.
# With TF_PLUGIN_MIRROR (a provider filesystem mirror: the directory holding
# registry.terraform.io), the providers it holds install from it and only from
# it; every other provider downloads from its registry as usual. (An explicit
# provider_installation block also turns off Terraform's implied local mirrors,
# such as ~/.terraform.d/plugins.) Without TF_PLUGIN_MIRROR the file is empty,
# so Terraform installs providers exactly as it does with no configuration.
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
  if [ "${#providers[@]}" -gt 0 ]; then
    list=$(IFS=,; echo "${providers[*]}")
    list=${list//,/, }
    # An HCL string: backslashes and double quotes escaped.
    path=${TF_PLUGIN_MIRROR//\\/\\\\}
    path=${path//\"/\\\"}
    echo "provider_installation {"
    printf '  filesystem_mirror {\n    path    = "%s"\n    include = [%s]\n  }\n' "$path" "$list"
    printf '  direct {\n    exclude = [%s]\n  }\n' "$list"
    echo "}"
  fi
} >"$out"
