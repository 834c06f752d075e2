#!/usr/bin/env bash
# Regenerates the demo library's media (src/server/demo/learning-media/) from scripts/demo-media/items.mjs.
# Needs Debian's ffmpeg, espeak-ng and fonts-noto-cjk: apt-get install -y ffmpeg espeak-ng fonts-noto-cjk
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in ffmpeg ffprobe espeak-ng; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y ffmpeg espeak-ng" >&2; exit 1; }
done
fc-list ':family=Noto Sans CJK SC' | grep -q . || { echo "missing the CJK font: apt-get install -y fonts-noto-cjk" >&2; exit 1; }
node scripts/demo-media/make.mjs
du -sh src/server/demo/learning-media
