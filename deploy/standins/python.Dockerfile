# TEST SCAFFOLDING (make test-compose only): a local stand-in tagged python:3.11-slim-bookworm,
# because no container registry is reachable from the test machines. Never pushed, never used
# in production (the lane refuses to overwrite an image of that tag it did not make).
# Debian bookworm's own Python 3.11 (python3.11, venv, pip) on the debootstrap base.
FROM louyu.invalid/standin-debian:bookworm
LABEL org.louyu.standin="python:3.11-slim-bookworm"
# The machine's extra CA certificates (its egress proxy), so pip reaches PyPI during `docker build`.
COPY ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null \
 && ln -sf /usr/bin/python3.11 /usr/local/bin/python \
 && ln -sf /usr/bin/python3.11 /usr/local/bin/python3 \
 && ln -sf /usr/bin/pip3 /usr/local/bin/pip \
 && rm -f /usr/lib/python3.11/EXTERNALLY-MANAGED \
 && printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' > /etc/pip.conf
ENV LANG=C.UTF-8
CMD ["python3"]
