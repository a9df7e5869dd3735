#!/usr/bin/env bash
# Generated from scripts/find-node.sh by scripts/bundle.mjs (pnpm build): edit that file, not this copy.
# Finds a Node.js 20 or newer to run this action's bundle and writes its path to the step output
# `path`. Without one, fails with one error annotation that says how to get one.
#
# A composite action's steps run whatever `node` the job has, and self-hosted runners,
# actions-runner-controller pods and `container:` jobs often have none. Looked at, in order:
#   1. every `node` on PATH (what actions/setup-node installs);
#   2. the runner's own Node, which it runs JavaScript actions with: mounted at /__e in a
#      `container:` job, and in <runner>/externals beside the default work folder (<runner>/_work,
#      RUNNER_TEMP being <runner>/_work/_temp) on a self-hosted or actions-runner-controller runner;
#   3. Node versions in the runner's tool cache (RUNNER_TOOL_CACHE), newest first.
# Bash builtins only: a job container may have nothing else.
set -uo pipefail

minimum=20
tried=()

# Succeeds when $1 is a node that runs and reports version $minimum or newer; records why not.
usable() {
  local candidate=$1 version major
  [[ -f $candidate && -x $candidate ]] || return 1
  if ! version=$("$candidate" --version 2>/dev/null); then
    tried+=("$candidate (does not start here)")
    return 1
  fi
  major=${version#v}
  major=${major%%.*}
  if [[ $major =~ ^[0-9]+$ ]] && ((major >= minimum)); then
    chosen_version=$version
    return 0
  fi
  tried+=("$candidate ($version)")
  return 1
}

candidates=()
while IFS= read -r candidate; do
  [[ -n $candidate ]] && candidates+=("$candidate")
done < <(type -ap node)
runner_homes=(/__e)
if [[ -n ${RUNNER_TEMP:-} ]]; then runner_homes+=("$RUNNER_TEMP/../../externals"); fi
for home in "${runner_homes[@]}"; do
  for version in node24 node20; do
    candidates+=("$home/$version/bin/node" "$home/$version/bin/node.exe")
  done
done
if [[ -n ${RUNNER_TOOL_CACHE:-} ]]; then
  cached=("$RUNNER_TOOL_CACHE"/node/*/*/bin/node "$RUNNER_TOOL_CACHE"/node/*/*/node.exe)
  for ((i = ${#cached[@]} - 1; i >= 0; i--)); do candidates+=("${cached[i]}"); done
fi

chosen_version=''
for candidate in "${candidates[@]}"; do
  if usable "$candidate"; then
    echo "Node.js $chosen_version: $candidate"
    echo "path=$candidate" >>"$GITHUB_OUTPUT"
    exit 0
  fi
done

action=${GITHUB_ACTION_PATH:-this action}
action=${action%/}
action=${action##*/}
if ((${#tried[@]} > 0)); then
  printf -v found '%s, ' "${tried[@]}"
  found="found only ${found%, }"
else
  found="no node on PATH or in the runner's tool cache"
fi
echo "::error title=Node.js ${minimum} or newer is needed::userloop's ${action} runs on Node.js ${minimum} or newer, and this job has none (${found}). Add a step before this one: uses: actions/setup-node with node-version: ${minimum} (or newer)."
exit 1
