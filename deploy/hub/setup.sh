#!/usr/bin/env bash
# Set up one server for a cohort (run as root; safe to run again after a course update).
#
#   sudo deploy/hub/setup.sh
#   sudo /opt/doudian-course/env/bin/jupyterhub -f /opt/doudian-course/course/deploy/hub/jupyterhub_config.py
#
# What it does, each step skipped when already done:
#   1. the group `trainers` and the system user the class-progress service runs as;
#   2. a copy of the course in $PREFIX/course (the files git tracks), and a shared user
#      environment $USER_ENV built from a system Python (a pyenv Python under /root cannot be
#      run by the trainees), with the course and its `hub` extra; Lab in Chinese, kernels shut
#      down when a lesson's tab closes;
#   3. configurable-http-proxy from npm into $PREFIX/chp;
#   4. the lessons as a git repository $PREFIX/lessons.git for the nbgitpuller link, and a git
#      config that marks it safe for the trainees (it belongs to root);
#   5. a roster template $ROSTER if there is none; the shared progress folder $PROGRESS:
#      setgid so files keep the group `trainers`, sticky so no trainee can remove another's
#      file, no read for others so trainees cannot list it.
#
# Variables [defaults]: PREFIX [/opt/doudian-course], USER_ENV [$PREFIX/env; on TLJH
# /opt/tljh/user], PROGRESS [/srv/doudian-course/progress], STATE [/srv/doudian-course/hub],
# ROSTER [/srv/doudian-course/roster.toml], PYTHON [/usr/bin/python3], TRAINERS_GROUP [trainers],
# SERVICE_USER [doudian-progress], CHP_VERSION [5], SETUP_STEPS [groups env chp lessons folders].
set -euo pipefail

SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PREFIX="${PREFIX:-/opt/doudian-course}"
PROGRESS="${PROGRESS:-/srv/doudian-course/progress}"
STATE="${STATE:-/srv/doudian-course/hub}"
ROSTER="${ROSTER:-/srv/doudian-course/roster.toml}"
PYTHON="${PYTHON:-/usr/bin/python3}"
USER_ENV="${USER_ENV:-$PREFIX/env}"
TRAINERS_GROUP="${TRAINERS_GROUP:-trainers}"
SERVICE_USER="${SERVICE_USER:-doudian-progress}"
CHP_VERSION="${CHP_VERSION:-5}"
SETUP_STEPS="${SETUP_STEPS:-groups env chp lessons folders}"

say() { printf '[setup] %s\n' "$*"; }
want() { [[ " $SETUP_STEPS " == *" $1 "* ]]; }

if [[ "$(id -u)" != 0 ]]; then
  echo "deploy/hub/setup.sh: run as root (it creates a group, a system user and shared folders)" >&2
  exit 1
fi
umask 022  # everything under $PREFIX is read by every trainee

if want groups; then
  getent group "$TRAINERS_GROUP" >/dev/null || groupadd --system "$TRAINERS_GROUP"
  if ! id -u "$SERVICE_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin --gid "$TRAINERS_GROUP" "$SERVICE_USER"
  fi
fi

if want env; then
  rm -rf "$PREFIX/course" && mkdir -p "$PREFIX/course"  # no file of an older version left behind
  # The tracked files as they are now (untracked new files too, ignored ones not: no .venv).
  (cd "$SOURCE" && git ls-files -z --cached --others --exclude-standard \
     | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -C "$PREFIX/course" -xf -
  if [[ ! -x "$USER_ENV/bin/python" ]]; then
    say "shared user environment $USER_ENV from $PYTHON"
    "$PYTHON" -m venv "$USER_ENV"
  fi
  stamp="$USER_ENV/.doudian-course-installed"
  wanted="$(sha256sum "$PREFIX/course/pyproject.toml" | cut -d' ' -f1)"
  if [[ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]]; then
    say "installing the course with its hub extra"
    "$USER_ENV/bin/python" -m pip install -q --upgrade pip
    "$USER_ENV/bin/python" -m pip install -q -e "$PREFIX/course[hub]"
    echo "$wanted" > "$stamp"
  fi
  "$USER_ENV/bin/python" -m helpers.course.lab_settings --hub >/dev/null
fi

if want chp; then
  chp="$PREFIX/chp/node_modules/.bin/configurable-http-proxy"
  if [[ ! -x "$chp" ]]; then
    say "configurable-http-proxy@$CHP_VERSION from npm into $PREFIX/chp"
    mkdir -p "$PREFIX/chp"
    npm install --silent --no-audit --no-fund --prefix "$PREFIX/chp" "configurable-http-proxy@$CHP_VERSION" >/dev/null
  fi
fi

if want lessons; then
  repo="$PREFIX/lessons.git"
  [[ -d "$repo" ]] || git init -q --bare --initial-branch=main "$repo"
  printf '%s\n' .ipynb_checkpoints/ __pycache__/ > "$repo/info/exclude"
  # Commit notebooks/ as the lessons repository's root, without a work tree or a clone: the
  # trainee's folder then holds the lessons and nothing else.
  index="$(mktemp)"
  rm -f "$index"
  export GIT_DIR="$repo" GIT_INDEX_FILE="$index" GIT_WORK_TREE="$SOURCE/notebooks"
  (cd "$GIT_WORK_TREE" && git add -A .)
  tree="$(git write-tree)"
  parent="$(git rev-parse -q --verify refs/heads/main || true)"
  if [[ -z "$parent" || "$(git rev-parse "$parent^{tree}")" != "$tree" ]]; then
    commit="$(GIT_AUTHOR_NAME=course GIT_AUTHOR_EMAIL=course@localhost GIT_COMMITTER_NAME=course \
      GIT_COMMITTER_EMAIL=course@localhost git commit-tree "$tree" ${parent:+-p "$parent"} -m "Lessons")"
    git update-ref refs/heads/main "$commit"
    say "lessons published: $commit"
  fi
  unset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE
  rm -f "$index"
  # git refuses a repository another user owns ("dubious ownership"); safe.directory is read from
  # this file through GIT_CONFIG_GLOBAL (set by jupyterhub_config.py), the trainee's own kept.
  cat > "$PREFIX/gitconfig" <<CONF
[safe]
	directory = $repo
[include]
	path = ~/.gitconfig
CONF
fi

if want folders; then
  mkdir -p "$PROGRESS" "$STATE"
  chown "root:$TRAINERS_GROUP" "$PROGRESS"
  chmod 3773 "$PROGRESS"
  chmod 0700 "$STATE"
  if [[ ! -e "$ROSTER" ]]; then  # the hub lets in only the people named here
    mkdir -p "$(dirname "$ROSTER")"
    cat > "$ROSTER" <<'TOML'
# 名单：hub 的用户名（每人一个系统账号：useradd -m 名字; passwd 名字）。改完重启 hub。
trainees = []   # 学员，例如 ["lin", "chen"]
trainers = []   # 老师：能看 /services/class-progress/，能进入学员的服务器
admins = []     # 管理 hub 本身的人
TOML
    say "roster template written: $ROSTER (fill it in before the class)"
  fi
fi
say "done: PREFIX=$PREFIX PROGRESS=$PROGRESS"
