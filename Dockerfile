# platctl's own image, with `platctl` as its entrypoint: `image:` for GitLab CI
# (templates/doctor.yml), a docker agent for Jenkins, or on its own:
#
#   docker run --rm -v "$PWD:/repo:ro" IMAGE doctor
#
# Both stages use python:3.13-slim-trixie pinned by the digest of its
# multi-platform index, so a build is repeatable. The digest goes stale as the
# base image is rebuilt for security fixes: Renovate (the `dockerfile` manager)
# or Dependabot (the `docker` ecosystem) must propose each new one; move both
# FROM lines together.

# ---- build: a wheel of this checkout, installed into a virtualenv ----------------
FROM python:3.13-slim-trixie@sha256:bb2988715db2cf7ace7b53f38f3cffbef7c7046a656bee66245eb0ed386e2e81 AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src/ src/
COPY golden_paths/ golden_paths/
COPY docs/ docs/
RUN python -m pip wheel --no-deps --wheel-dir /dist . \
    && python -m venv /opt/platctl \
    && /opt/platctl/bin/python -m pip install /dist/platctl-*.whl \
    && /opt/platctl/bin/platctl --version

# ---- runtime: the virtualenv, git, and a non-root user ---------------------------
FROM python:3.13-slim-trixie@sha256:bb2988715db2cf7ace7b53f38f3cffbef7c7046a656bee66245eb0ed386e2e81
LABEL org.opencontainers.image.title="platctl" \
      org.opencontainers.image.description="The golden-path CLI: platctl doctor checks a repository against its golden path." \
      org.opencontainers.image.licenses="Apache-2.0"

# git: doctor lists a repository's files with `git ls-files`. CI checks a
# checkout owned by another user (GitLab's clone is root's), which git refuses
# unless safe.directory allows it; platctl already runs every git command with
# hooks and fsmonitor switched off (platctl.gitcmd), which is what that check guards.
# The version of git is not pinned: Debian drops a superseded security update from
# its archive, so a pinned version would stop building; the base digest fixes the release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/* \
    && git config --system safe.directory '*' \
    && useradd --uid 10001 --user-group --create-home --shell /usr/sbin/nologin platctl

COPY --from=build /opt/platctl /opt/platctl
ENV PATH=/opt/platctl/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

USER 10001:10001
WORKDIR /repo
# A command-line tool, not a server: there is nothing to probe.
HEALTHCHECK NONE
ENTRYPOINT ["platctl"]
CMD ["doctor"]
