# The image of the worker, the API (with the workbench) and the CLI, for docker-compose.yml.
# Built JavaScript and production dependencies only; runs as the unprivileged `node` user, which
# owns /data (sent journal, published calendars, the session key, the CLI's token). Node 22: Node 20
# reached its end of life in April 2026; the product runs on both.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json

FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY policy ./policy
RUN mkdir -p /data/calendar /data/documents /data/sent-journal /data/api /data/cli && chown -R node:node /data && chmod 700 /data/api /data/cli
# The image's `node` user, by number (hadolint DL3066: a name may not resolve on the host).
USER 1000
# The worker's health is its metrics endpoint (METRICS_BIND_ADDRESS); the API overrides it with /healthz.
HEALTHCHECK --interval=30s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:9464/metrics').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/worker.js"]
