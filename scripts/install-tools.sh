#!/usr/bin/env bash
# Installs the pinned external binaries the test suite drives for real:
# prometheus + promtool, alertmanager + amtool, mtail (benchmark peer), staticcheck,
# kustomize (renders deploy/kubernetes as `kubectl apply -k` would) and systemd-analyze
# (verifies the shipped unit; from Debian's systemd package, which is not started).
# Idempotent: a tool already at the pinned version is left alone.
set -euo pipefail

PROMETHEUS_DEB="2.42.0+ds-5+deb12u1"
ALERTMANAGER_DEB="0.25.0-1+b4"
MTAIL_DEB="3.0.0~rc50-1+b6"
STATICCHECK_VERSION="v0.8.2"
KUSTOMIZE_VERSION="v5.7.1" # the kustomize kubectl 1.34 embeds
SYSTEMD_DEB="252.38-1~deb12u1"

need=()
have_deb() { [ "$(dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true)" = "$2" ]; }
have_deb prometheus "$PROMETHEUS_DEB" || need+=("prometheus=$PROMETHEUS_DEB")
have_deb prometheus-alertmanager "$ALERTMANAGER_DEB" || need+=("prometheus-alertmanager=$ALERTMANAGER_DEB")
have_deb mtail "$MTAIL_DEB" || need+=("mtail=$MTAIL_DEB")
# Any systemd 252 will do (only systemd-analyze is used): do not replace the one there.
command -v systemd-analyze >/dev/null || need+=("systemd=$SYSTEMD_DEB")

if [ "${#need[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # Packaged services must not start on install: the tests start their own processes.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

GOBIN="$(go env GOPATH)/bin"
if ! "$GOBIN/staticcheck" -version 2>/dev/null | grep -q "0.8.2"; then
  go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
fi

if ! "$GOBIN/kustomize" version 2>/dev/null | grep -q "${KUSTOMIZE_VERSION}"; then
  go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
fi

for t in prometheus promtool prometheus-alertmanager amtool mtail systemd-analyze "$GOBIN/staticcheck" "$GOBIN/kustomize"; do
  command -v "$t" >/dev/null || { echo "install-tools: $t missing after install" >&2; exit 1; }
done
