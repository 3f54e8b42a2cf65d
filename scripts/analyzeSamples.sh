#!/usr/bin/env bash
# `npm start`: the main job on the sample media. Installs what is missing, builds (the bundles and the default
# models in bundled-models/, which the CLI finds by itself), and analyses the shared sample videos (or the files
# and folders given) into ./demo-output with the full default ensemble and speech, then says where the documents are.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
node esbuild.js
node --import tsx scripts/models/bundleModels.ts --if-available

shared="$(cd .. && pwd)/shared"
inputs=("$@")
if [ ${#inputs[@]} -eq 0 ]; then
  if [ -d "$shared/media/video" ]; then inputs=("$shared/media/video"); else
    echo "No inputs: pass videos or folders, e.g. npm start -- ~/videos" >&2; exit 2; fi
fi
node dist/cli.js analyze "${inputs[@]}" --out demo-output
echo "Documents are in $(pwd)/demo-output (open one in VS Code with the Emotion Lens extension, or read it as JSON)."
