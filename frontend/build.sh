#!/usr/bin/env bash
# Build the front end into static/. The output is committed, so running the
# app needs no node; run this after changing anything in frontend/.
set -euo pipefail

frontend_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
static_dir="$(dirname "$frontend_dir")/static"
cd "$frontend_dir"

# No dependency needs an install script (sass is pure JavaScript).
npm ci --ignore-scripts --no-audit --no-fund

govuk=node_modules/govuk-frontend/dist/govuk
moj=node_modules/@ministryofjustice/frontend/moj

rm -rf "$static_dir/sfoqa" "$static_dir/vendor" "$static_dir/assets"
mkdir -p "$static_dir/sfoqa" "$static_dir/vendor" "$static_dir/assets/images"

node_modules/.bin/sass --load-path=. --no-source-map --style=compressed \
  --quiet-deps src/app.scss "$static_dir/sfoqa/app.css"

# Keep the source maps beside the scripts that name them, so that no
# sourceMappingURL points at a missing file.
cp "$govuk/govuk-frontend.min.js" "$govuk/govuk-frontend.min.js.map" \
  "$moj/moj-frontend.min.js" "$moj/moj-frontend.min.js.map" "$static_dir/vendor/"

# Images only: the system font stack replaces GDS Transport, so no fonts.
cp "$govuk/assets/manifest.json" "$static_dir/assets/"
cp "$govuk/assets/images/"* "$moj/assets/images/"* "$static_dir/assets/images/"

cp src/*.mjs src/*.css "$static_dir/sfoqa/"

# Every url() in the stylesheet must name a file that was copied.
missing=0
while read -r url; do
  if [[ ! -f "$static_dir/sfoqa/$url" ]]; then
    echo "app.css refers to a missing file: $url" >&2
    missing=1
  fi
done < <(grep -o 'url([^)]*)' "$static_dir/sfoqa/app.css" | sed -E 's/^url\(["'\'']?//; s/["'\'']?\)$//' | sort -u)
exit "$missing"
