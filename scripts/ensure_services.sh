#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1; start them with the machine's own commands
# if they are down; say clearly what is missing otherwise.
set -u
pg_ok() { python3 - <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(1)
try:
    s.connect(("127.0.0.1", 5432)); sys.exit(0)
except OSError:
    sys.exit(1)
PY
}
redis_ok() { (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && head -c 5 <&3 | grep -q PONG) 2>/dev/null; }

if ! pg_ok; then
  echo "PostgreSQL is not answering on 127.0.0.1:5432; trying to start it..."
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 20); do pg_ok && break; sleep 0.5; done
  fi
  pg_ok || { echo "ERROR: PostgreSQL is not reachable at 127.0.0.1:5432 and could not be started (install postgresql or set DATABASE_URL)." >&2; exit 1; }
fi
if ! redis_ok; then
  echo "Redis is not answering on 127.0.0.1:6379; trying to start it..."
  if command -v redis-server >/dev/null 2>&1; then
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
    for _ in $(seq 1 20); do redis_ok && break; sleep 0.5; done
  fi
  redis_ok || { echo "ERROR: Redis is not reachable at 127.0.0.1:6379 and could not be started (install redis-server)." >&2; exit 1; }
fi
echo "PostgreSQL and Redis are reachable."
