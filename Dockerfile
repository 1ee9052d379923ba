# Production image: compiled JavaScript, production dependencies only, unprivileged user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund --omit=optional
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workers ./workers
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev --omit=optional

FROM node:20-bookworm-slim
ENV NODE_ENV=production PROVD_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY templates ./templates
RUN mkdir -p /var/lib/provd && chown node:node /var/lib/provd
USER node
EXPOSE 3000 8080
# Alone, the image runs migrations first (idempotent, under an advisory lock), then serves; compose runs
# a one-shot migrate service instead and starts api and worker after it.
CMD ["sh", "-c", "node dist/src/db/migrate.js && exec node dist/src/main.js"]
