#!/usr/bin/env bash
# Rebuilds the GraphiQL assets that CrmEngine.Host serves at /graphiql/ and keeps in its repository
# (host/CrmEngine.Host/GraphiQL/assets), so running the host needs neither node nor a network.
# Run it after changing package.json or src/ (needs node and npm): `bash build/graphiql/build.sh`,
# then commit package-lock.json and the assets together. The same lockfile gives the same files.
set -euo pipefail
cd "$(dirname "$0")"
out=../../host/CrmEngine.Host/GraphiQL/assets
npm ci --no-audit --no-fund --loglevel=error
rm -rf "$out" && mkdir -p "$out"
esbuild=node_modules/.bin/esbuild
common=(--bundle --minify --target=es2022 --legal-comments=external --log-level=warning)
# The page: GraphiQL, React, graphql-js and Monaco in one module, with its stylesheet and font.
"$esbuild" src/graphiql.js "${common[@]}" --format=esm --loader:.ttf=file --asset-names='[name]' --outdir="$out"
# Monaco's workers, loaded by the page from beside it (see MonacoEnvironment in src/graphiql.js).
"$esbuild" "${common[@]}" --format=iife --outdir="$out" \
  editor.worker=monaco-editor/esm/vs/editor/editor.worker.js \
  json.worker=monaco-editor/esm/vs/language/json/json.worker.js \
  graphql.worker=monaco-graphql/esm/graphql.worker.js
ls -la "$out"
