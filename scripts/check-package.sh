#!/usr/bin/env bash
# Checks the package as users get it: packs the tarball, runs attw (node16 profile) and
# publint --strict on it, then installs it into two throw-away consumers — ESM (NodeNext)
# and CommonJS (node16, "type": "commonjs") — each under the strictest tsconfig users run,
# type-checks them and runs them against an in-memory libSQL database.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

npm run --silent build --prefix "$root" >/dev/null
tarball="$(cd "$work" && npm pack --silent "$root")"
tarball="$work/$tarball"

echo "attw (node16) on $(basename "$tarball")"
"$root/node_modules/.bin/attw" "$tarball" --profile node16 --exclude-entrypoints ./codegen
# The codegen entry is ESM only (it loads ESM bundles and worker threads): CommonJS code
# reaches it with `await import()`, which attw reports as a warning; everything else must hold.
"$root/node_modules/.bin/attw" "$tarball" --profile node16 --entrypoints ./codegen --ignore-rules cjs-resolves-to-esm >/dev/null
echo "publint --strict"
"$root/node_modules/.bin/publint" --strict "$tarball"

for kind in esm cjs; do
  app="$work/$kind"
  mkdir -p "$app/node_modules/drizzle-concurrency"
  tar -xzf "$tarball" -C "$app/node_modules/drizzle-concurrency" --strip-components=1
  for dep in drizzle-orm @libsql postgres mysql2 pg @types; do
    mkdir -p "$(dirname "$app/node_modules/$dep")"
    ln -s "$root/node_modules/$dep" "$app/node_modules/$dep"
  done
  cp "$root/scripts/package-consumer/app.ts" "$app/app.ts"
  # The type tests, importing the package as users do.
  for types in "$root"/test/types/*.ts; do
    sed -e "s#'../../src/index.js'#'drizzle-concurrency'#" -e "s#'../../src/\(pg\|mysql\|sqlite\)/index.js'#'drizzle-concurrency/\1-core'#" \
      "$types" >"$app/types-$(basename "$types")"
  done
  if [ "$kind" = esm ]; then
    echo '{ "name": "consumer-esm", "private": true, "type": "module" }' >"$app/package.json"
    module=NodeNext; verbatim=true
  else
    echo '{ "name": "consumer-cjs", "private": true, "type": "commonjs" }' >"$app/package.json"
    # verbatimModuleSyntax forbids `import` in a CommonJS file; CommonJS apps turn it off.
    module=Node16; verbatim=false
  fi
  cat >"$app/tsconfig.json" <<JSON
{
  "compilerOptions": {
    "target": "ES2022", "module": "$module", "moduleResolution": "$module", "outDir": "out",
    "strict": true, "exactOptionalPropertyTypes": true, "noUncheckedIndexedAccess": true,
    "noPropertyAccessFromIndexSignature": true, "noImplicitOverride": true,
    "verbatimModuleSyntax": $verbatim, "skipLibCheck": true, "types": ["node"]
  },
  "include": ["*.ts"]
}
JSON
  echo "consumer ($kind): tsc under the strictest tsconfig"
  (cd "$app" && "$root/node_modules/.bin/tsc" -p tsconfig.json)
  echo "consumer ($kind): run"
  (cd "$app" && node out/app.js)
done
echo "package check passed"
