#!/usr/bin/env bash
# The Docker job (npm run test:docker): an engine and base images (infra/docker/local-images.sh
# where no registry answers), then
#   1. the testcontainers tests: the ordinary testkit and integration test files, run against
#      containers (locally made images with host networking here; official images elsewhere);
#   2. the stack test: every service image built, the stack run by docker-compose, the extractor
#      killed mid-flight (test/docker/stack.docker.test.ts).
# Everything it started is removed at the end; the image cache stays outside the repository.
# SLUICE_DOCKER_REQUIRED=1 fails instead of skipping when no engine can be had.
set -uo pipefail
cd "$(dirname "$0")/../.."
started_at=$SECONDS

answered_before=0
docker version >/dev/null 2>&1 && answered_before=1
if ! engine_env="$(bash infra/docker/local-images.sh up)"; then
  if [ "${SLUICE_DOCKER_REQUIRED:-}" = 1 ]; then echo "docker job: no engine could be had" >&2; exit 1; fi
  echo "docker job skipped: no Docker engine could be had (see the messages above)"
  exit 0
fi
set -a
eval "$engine_env"
set +a
cleanup() {
  [ "$answered_before" = 1 ] || bash infra/docker/local-images.sh down
  echo "docker job: $((SECONDS - started_at)) s"
}
trap cleanup EXIT
echo "docker job: engine $DOCKER_HOST, host network ${SLUICE_DOCKER_HOST_NETWORK:-0} ($((SECONDS - started_at)) s)"

status=0
# Same test files as the ordinary run; @sluice/testkit takes containers when an engine answers.
(cd packages/testkit && npx vitest run) || status=1
(cd test && npx vitest run) || status=1
npx vitest run --config test/docker/vitest.config.ts || status=1
exit $status
