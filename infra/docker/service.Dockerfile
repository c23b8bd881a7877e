# The production image of one Sluice service; SERVICE names it (fetcher, extractor, indexer, api).
# Build from the repository root:
#   docker build -f infra/docker/service.Dockerfile --build-arg SERVICE=indexer -t sluice/indexer .
# Run with environment configuration only (README, "Docker"). Workers serve /healthz, /readyz and
# /metrics on HEALTH_PORT (8080); the API listens on PORT (3000).
ARG NODE_IMAGE=node:20-bookworm-slim

# 1. The workspace closure of the service and its pruned lockfile, production dependencies only.
FROM ${NODE_IMAGE} AS prune
ARG SERVICE
# Keep in step with the root package.json's turbo.
ARG TURBO_VERSION=2.11.9
ENV TURBO_TELEMETRY_DISABLED=1
RUN test -n "${SERVICE}" || { echo "build with --build-arg SERVICE=<fetcher|extractor|indexer|api>" >&2; exit 1; }
RUN npm install --global --no-audit --no-fund turbo@${TURBO_VERSION}
WORKDIR /repo
COPY . .
RUN node infra/docker/prune-manifests.mjs && turbo prune @sluice/${SERVICE} --docker --out-dir /out

# 2. Production node_modules; the workspace links are dropped since the bundle has those packages.
FROM ${NODE_IMAGE} AS deps
WORKDIR /repo
COPY --from=prune /out/json/ ./
RUN npm ci --omit=dev --no-audit --no-fund && rm -rf node_modules/@sluice

# 3. dist/: the service and its @sluice packages bundled (npm dependencies left external), with
#    any files the service reads beside its bundle (the API's page templates and static files).
FROM ${NODE_IMAGE} AS build
ARG SERVICE
WORKDIR /repo
COPY --from=prune /out/json/ ./
RUN npm ci --no-audit --no-fund
COPY --from=prune /out/full/ ./
COPY tsconfig.base.json ./
COPY infra/build ./infra/build
RUN cd services/${SERVICE} && node ../../infra/build/bundle-service.mjs

FROM ${NODE_IMAGE}
ARG SERVICE
ENV NODE_ENV=production
# Which port the health check asks: the API's own, or a worker's health server.
ENV SLUICE_SERVICE=${SERVICE}
ENV PORT=3000
ENV HEALTH_PORT=8080
WORKDIR /app
COPY --from=deps /repo/node_modules ./node_modules
COPY --from=build /repo/services/${SERVICE}/package.json ./
COPY --from=build /repo/services/${SERVICE}/dist ./dist
COPY infra/docker/healthcheck.mjs ./
USER node
EXPOSE 3000 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "healthcheck.mjs"]
# Exec form: node is PID 1 and gets SIGTERM itself (worker-runtime drains and exits).
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "dist/main.js"]
