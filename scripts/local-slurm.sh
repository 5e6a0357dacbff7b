#!/usr/bin/env bash
# A single-node SLURM on this machine, for trying `launcher=slurm` and for the launcher's tests.
#   scripts/local-slurm.sh start     install (once, Debian packages) and start munged, slurmctld, slurmd
#   scripts/local-slurm.sh stop      stop the three daemons this script started
#   scripts/local-slurm.sh status    say whether they run and what `sinfo` reports
#   scripts/local-slurm.sh install   only install the packages (what ./spotlight test does)
# Debian's slurmctld/slurmd/munge (22.05), no systemd: the daemons are started directly. One node,
# `localhost`, with this machine's cores and memory (`slurmd -C`); proctrack/linuxproc, task/none,
# no accounting (so `sacct` does not work here: the launcher uses squeue/scontrol). Both daemons bind
# to the loopback address only (CommunicationParameters=NoInAddrAny,NoCtldInAddrAny with every name = localhost).
# Idempotent: start on a running cluster and stop on a stopped one do nothing.
# Needs root (the daemons and the packages). State, logs and pid files: $SPOTLIGHT_SLURM_STATE
# (default /var/lib/spotlight-slurm). The config goes to /etc/slurm/slurm.conf, which the client
# commands (sbatch, squeue, scontrol) read; a slurm.conf this script did not write is never replaced.
set -euo pipefail

STATE="${SPOTLIGHT_SLURM_STATE:-/var/lib/spotlight-slurm}"
CONF_DIR=/etc/slurm
CONF="$CONF_DIR/slurm.conf"
MARK="# written by spotlight scripts/local-slurm.sh"
MUNGE_SOCKET_DIR=/run/munge
log() { echo "local-slurm: $*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else log "needs root for: $*"; return 1; fi
}

install_packages() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null \
     && command -v sbatch >/dev/null; then return; fi
  log "installing slurmctld slurmd slurm-client munge (Debian packages)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurmctld slurmd slurm-client munge >/dev/null
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

write_conf() {
  if [ -f "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
    log "$CONF exists and was not written by this script; not replacing it (stop here: this machine has its own SLURM)"
    exit 1
  fi
  # slurmd -C: this machine's CPUs, sockets, cores, threads and RealMemory, as slurmd itself sees them
  local node
  node="$(slurmd -C | head -1 | sed -E 's/^NodeName=[^ ]+ //')"
  mkdir -p "$CONF_DIR" "$STATE"/{ctld,d,log}
  cat > "$CONF.tmp" <<EOF
$MARK (do not edit: it is rewritten on start)
ClusterName=spotlight
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
# A requeued job waits cred_expire seconds before it may start again (default 120); 20 keeps the
# requeue test short and is still ample for a one-node cluster.
AuthInfo=cred_expire=20
CredType=cred/munge
CommunicationParameters=NoInAddrAny,NoCtldInAddrAny
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
JobRequeue=1
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
# Quick turn-around for tests: jobs leave the controller's memory a minute after they end.
MinJobAge=60
KillWait=10
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/d
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 $node State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
  mv "$CONF.tmp" "$CONF"
}

start_munge() {
  if [ -S "$MUNGE_SOCKET_DIR/munge.socket.2" ] && munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
    return
  fi
  mkdir -p "$MUNGE_SOCKET_DIR" /var/log/munge /var/lib/munge
  chown munge:munge "$MUNGE_SOCKET_DIR" /var/log/munge /var/lib/munge
  if [ ! -s /etc/munge/munge.key ]; then
    mungekey --create --keyfile=/etc/munge/munge.key
    chown munge:munge /etc/munge/munge.key
    chmod 400 /etc/munge/munge.key
  fi
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do
    munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && return
    sleep 0.1
  done
  log "munged did not come up"; exit 1
}

wait_for_node() {
  for _ in $(seq 100); do
    local s
    s="$(sinfo -h -n localhost -o %T 2>/dev/null || true)"
    case "$s" in idle*|mixed*|allocated*) return ;; esac
    sleep 0.2
  done
  log "the node did not become idle: $(sinfo -h -N -o '%N %T %E' 2>&1 || true); logs in $STATE/log"
  exit 1
}

start() {
  install_packages
  if pid_alive "$STATE/slurmctld.pid" && pid_alive "$STATE/slurmd.pid"; then
    log "already running"; return
  fi
  write_conf
  start_munge
  pid_alive "$STATE/slurmctld.pid" || /usr/sbin/slurmctld -f "$CONF"
  for _ in $(seq 50); do scontrol ping >/dev/null 2>&1 && break; sleep 0.2; done
  pid_alive "$STATE/slurmd.pid" || /usr/sbin/slurmd -f "$CONF" -N localhost
  wait_for_node
  # a node drained by an earlier unclean stop comes back
  scontrol update nodename=localhost state=resume >/dev/null 2>&1 || true
  log "running: node localhost, partition local ($(sinfo -h -o '%c CPUs, %m MB' | head -1)); stop with $0 stop"
}

stop_pid() {
  local file="$1" name="$2"
  if pid_alive "$file"; then
    local pid; pid="$(cat "$file")"
    kill "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    log "stopped $name"
  fi
  rm -f "$file"
}

stop() {
  stop_pid "$STATE/slurmd.pid" slurmd
  stop_pid "$STATE/slurmctld.pid" slurmctld
  # munged is left running only if someone else started it; ours has its pid file in /run/munge
  stop_pid "$MUNGE_SOCKET_DIR/munged.pid" munged
}

status() {
  local up=0
  pid_alive "$STATE/slurmctld.pid" && pid_alive "$STATE/slurmd.pid" && up=1
  if [ "$up" = 1 ]; then
    echo "running"; sinfo
  else
    echo "stopped"; return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  install) install_packages ;;
  *) echo "usage: $0 start|stop|status|install" >&2; exit 2 ;;
esac
