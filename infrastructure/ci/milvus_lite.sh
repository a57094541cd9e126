#!/usr/bin/env bash
# Installs (from PyPI, into a cached virtualenv) and runs Milvus Lite as a throwaway gRPC server on
# loopback for tests and CI. Milvus Lite 3.x is a Python engine (FAISS for HNSW/IVF indexes) whose
# gRPC layer imports pymilvus, so both are installed.
# Usage: milvus_lite.sh install            → prepares the virtualenv (idempotent)
#        milvus_lite.sh start DIR [PORT]   → prints MILVUS_ADDRESS=127.0.0.1:PORT
#        milvus_lite.sh stop DIR
# On failure the last line on stderr says why (CI prints it as the reason the suite was skipped).
set -euo pipefail
MILVUS_LITE_VERSION=3.2.2
PYMILVUS_VERSION=3.0.2
venv=${MILVUS_LITE_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/craveny/milvus-lite-$MILVUS_LITE_VERSION}
cmd=${1:?install|start|stop}

fail() { echo "milvus_lite.sh: $*" >&2; exit 1; }

install() {
  if [ -x "$venv/bin/milvus-lite" ] && "$venv/bin/python" -c "import milvus_lite, pymilvus" 2>/dev/null; then
    return 0
  fi
  command -v python3 >/dev/null || fail "python3 is not installed"
  python3 -c "import sys; sys.exit(sys.version_info < (3, 10))" || fail "Milvus Lite needs Python 3.10+, found $(python3 --version 2>&1)"
  rm -rf "$venv"
  python3 -m venv "$venv" >/dev/null 2>&1 || fail "python3 -m venv failed (on Debian: apt-get install python3-venv)"
  "$venv/bin/pip" install -q --disable-pip-version-check --timeout 30 --retries 2 \
    "milvus-lite==$MILVUS_LITE_VERSION" "pymilvus==$PYMILVUS_VERSION" >"$venv.pip.log" 2>&1 \
    || { rm -rf "$venv"; fail "pip install milvus-lite==$MILVUS_LITE_VERSION pymilvus==$PYMILVUS_VERSION failed (no PyPI access?): $(tail -n 1 "$venv.pip.log")"; }
}

case "$cmd" in
install)
  install
  echo "$venv"
  ;;
start)
  dir=${2:?state directory}
  port=${3:-19530}
  install
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  # The server runs detached, output in DIR/milvus.log; `stop DIR` ends it by its pid.
  nohup "$venv/bin/milvus-lite" server --data-dir "$dir/milvus" --host 127.0.0.1 --port "$port" \
    </dev/null >"$dir/milvus.log" 2>&1 &
  echo $! >"$dir/milvus.pid"
  for _ in $(seq 600); do
    kill -0 "$(cat "$dir/milvus.pid")" 2>/dev/null \
      || fail "milvus-lite server exited: $(tail -n 1 "$dir/milvus.log")"
    grep -q "listening on" "$dir/milvus.log" 2>/dev/null && (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || fail "milvus-lite server did not listen on port $port within 60 s"
  echo "MILVUS_ADDRESS=127.0.0.1:$port"
  ;;
stop)
  dir=${2:?state directory}
  [ -f "$dir/milvus.pid" ] || exit 0
  pid=$(cat "$dir/milvus.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$dir/milvus.pid"
  ;;
*) echo "usage: $0 install | start DIR [PORT] | stop DIR" >&2; exit 2 ;;
esac
