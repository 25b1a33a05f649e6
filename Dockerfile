# voltbench device emulators as one image; which emulators run, and how, comes from the command's
# arguments (`--only pvs,senec --seed 7`) or VOLTBENCH_* variables (VOLTBENCH_ONLY=pvs, VOLTBENCH_SEED=7).
#   docker build -t voltbench .
#   docker run --rm -p 7080:7080 voltbench --only pvs
# Where no registry is reachable, build on a base image made from this machine's node and npm:
#   bash docker/base-image.sh
#   docker build --build-arg BASE_IMAGE=voltbench/node-base:local -t voltbench .
# (test/containers/documented-commands.test.ts runs these lines as written.)
# BASE_IMAGE: any Node >= 20.19 image with npm, a /bin/sh and a `node` user (the official ones do).
ARG BASE_IMAGE=node:24-bookworm-slim

# Compiles the library (tsc → dist/src/…) and bundles the CLI (esbuild → dist/cli/) with the dev dependencies.
FROM ${BASE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here, and no dependency needs its
# install script (package.json's allowScripts denies them all): serialport's bindings ship prebuilt
# binaries, and esbuild runs its platform package's binary (@esbuild/linux-x64) directly.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY contracts ./contracts
COPY emulators ./emulators
COPY scenarios ./scenarios
COPY src ./src
COPY scripts ./scripts
RUN npm run build

# Production dependencies only, in their own stage so source edits do not reinstall them.
FROM ${BASE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${BASE_IMAGE}
ENV NODE_ENV=production \
    VOLTBENCH_HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# dist/cli/: the bundled CLI the entrypoint runs; dist/src/ (and the rest): the library, tsc's output.
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY scenarios ./scenarios
COPY docker/entrypoint.mjs docker/healthcheck.mjs ./docker/
# A device of your own (VOLTBENCH_DEVICE=/devices/meter.js, mounted anywhere) imports 'voltbench/device':
# /node_modules/voltbench makes the package resolvable from every folder of the container. (Node, not
# mkdir/ln: a base image need not have coreutils, docker/base-image.sh's has none.)
RUN ["node", "-e", "const fs = require('node:fs'); fs.mkdirSync('/node_modules', { recursive: true }); fs.symlinkSync('/app', '/node_modules/voltbench')"]
USER node
# pvs, senec (HTTP + control), senec HTTPS, growatt, ups (serial bytes over TCP), ups control, the dashboard
EXPOSE 7080 9002 7081 7443 7082 7083 7090 7070
HEALTHCHECK --interval=5s --timeout=4s --start-period=10s --retries=3 CMD ["node", "/app/docker/healthcheck.mjs"]
ENTRYPOINT ["node", "/app/docker/entrypoint.mjs"]
