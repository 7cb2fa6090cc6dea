# Sourced by .ci/run: the tools the whole test suite needs beyond a JDK, and their installation.
# Defines functions only. Which test needs what:
#   postgresql       pgbench and psql (BenchSmokeIT, TransitionBenchmarkSmokeIT), pg_basebackup and
#                    pg_rewind (FailoverIT): Debian's PostgreSQL server package brings them all
#   wrk, gnuplot     the benchmark smoke (BenchSmokeIT)
#   curl, openssl    the benchmark smoke's tokens and probes (./jobstate bench)
#   chromium, chromium-driver
#                    the job board's browser tests (BoardIT)
#   patroni, etcd-server
#                    test-postgres' PatroniClusterIT and the high-availability tests: a Patroni cluster
#                    over etcd (installing starts no service where policy-rc.d forbids it; where a
#                    system etcd does start, the tests ignore it: they run their own on free ports)
#   prometheus       promtool for the shipped rules' tests (PromtoolRulesTest) and the server that
#                    scrapes a running instance (MonitoringIT); installing starts no service where
#                    policy-rc.d forbids it, and the tests run their own on a free port
# A test whose tool is missing is skipped, except with CI=true, where it fails.

# The Debian packages of the tools this machine lacks, one per line.
ci_missing_packages() {
  compgen -G "/usr/lib/postgresql/*/bin/pgbench" >/dev/null || echo postgresql
  command -v wrk >/dev/null || echo wrk
  command -v gnuplot >/dev/null || echo gnuplot-nox
  command -v curl >/dev/null || echo curl
  command -v openssl >/dev/null || echo openssl
  command -v chromium >/dev/null || echo chromium
  command -v chromedriver >/dev/null || echo chromium-driver
  command -v patroni >/dev/null || echo patroni
  command -v etcd >/dev/null || echo etcd-server
  { command -v promtool && command -v prometheus; } >/dev/null || echo prometheus
}

# Installs what is missing (as root, with apt-get), or says why it cannot and returns 1: a run that
# goes on without them tests less while looking green.
ci_install_missing() {
  local missing
  mapfile -t missing < <(ci_missing_packages)
  [ ${#missing[@]} -gt 0 ] || return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    ci_cannot_install "${missing[*]}" "this is not root with apt-get"
    return 1
  fi
  echo "Installing ${missing[*]}"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
    ci_cannot_install "${missing[*]}" "apt-get failed (above)"
    return 1
  fi
  mapfile -t missing < <(ci_missing_packages)
  if [ ${#missing[@]} -gt 0 ]; then
    ci_cannot_install "${missing[*]}" "they are still missing after apt-get install"
    return 1
  fi
}

ci_cannot_install() {
  cat >&2 <<MESSAGE
.ci/run: the test suite needs $1, and they cannot be installed: $2.
  Install them (Debian/Ubuntu: apt-get install $1) and run .ci/run again,
  or run the reduced suite on purpose, which skips the tests that need them:
      .ci/run --reduced        (or JOBSTATE_REDUCED_SUITE=1 .ci/run)
MESSAGE
}
