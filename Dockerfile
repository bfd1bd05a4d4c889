# tlslint in a container:
#   docker build -t tlslint .
#   docker run --rm -v "$PWD:/src" tlslint /src
#   docker run --rm -v "$PWD:/src" tlslint /src --format sarif --output /src/tlslint.sarif
#
# Build stage: compile the TypeScript, pack the npm package, and install it globally the way a
# user would (`npm install --global tlslint-*.tgz`); the native tree-sitter grammars build here,
# where the compilers are.
FROM node:20-bookworm AS build
WORKDIR /build
COPY package.json package-lock.json .npmrc tsconfig.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY bin ./bin
COPY src ./src
COPY rules ./rules
COPY scripts/bundle.mjs ./scripts/
COPY docs ./docs
COPY README.md action.yml ./
RUN npm run build \
 && npm pack --ignore-scripts --silent --pack-destination /tmp > /tmp/tarball \
 && npm install --global --no-audit --no-fund "/tmp/$(cat /tmp/tarball)" \
 && tlslint --version

# Runtime stage: the installed package on the same Debian release (the grammars link against its
# C++ library), plus git for `tlslint audit` of repository URLs. Runs as the unprivileged `node` user.
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install --yes --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/lib/node_modules/tlslint /usr/local/lib/node_modules/tlslint
RUN ln -s ../lib/node_modules/tlslint/bin/tlslint.js /usr/local/bin/tlslint \
 && tlslint --version
USER node
WORKDIR /src
ENTRYPOINT ["tlslint"]
CMD ["."]
