# The worker image for docker-compose.yml.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY tsconfig.json ./
COPY src ./src
# The data the worker and the API keep (sent journal, published calendars, session key) lives in
# volumes mounted under /data, owned by the unprivileged user the processes run as.
RUN mkdir -p /data/calendar /data/sent-journal /data/api && chown -R node:node /data
USER node
CMD ["npx", "tsx", "src/worker.ts"]
