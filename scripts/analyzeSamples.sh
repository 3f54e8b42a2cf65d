#!/usr/bin/env bash
# `npm start`: the main job on the sample media. Installs what is missing, builds, and analyses the shared
# sample videos (or the files and folders given) into ./demo-output, then prints where the documents are.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
node esbuild.js

shared="$(cd .. && pwd)/shared"
models="${EMOTION_LENS_MODELS:-}"
[ -z "$models" ] && [ -d "$shared/models" ] && models="$shared/models"
inputs=("$@")
if [ ${#inputs[@]} -eq 0 ]; then
  if [ -d "$shared/media/video" ]; then inputs=("$shared/media/video"); else
    echo "No inputs: pass videos or folders, e.g. npm start -- ~/videos" >&2; exit 2; fi
fi
args=(analyze "${inputs[@]}" --out demo-output)
[ -n "$models" ] && args+=(--models "$models")
# The sherpa-onnx speech model sits beside the face models in the shared folder.
if [ -z "${EMOTION_LENS_SPEECH_MODEL:-}" ] && [ -n "$models" ] && [ -d "$models/asr_zipformer_gigaspeech_3.3M_int8" ]; then
  args+=(--speech-model "$models/asr_zipformer_gigaspeech_3.3M_int8")
fi
node dist/cli.js "${args[@]}"
echo "Documents are in $(pwd)/demo-output (open one in VS Code with the Emotion Lens extension, or read it as JSON)."
