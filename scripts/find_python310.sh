#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 does not run on 3.11+),
# looking on PATH and then in pyenv. Exit 1 with advice when there is none.
set -u
candidates=(python3.10)
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  candidates+=("$root"/versions/3.10*/bin/python3.10)
fi
candidates+=("$HOME"/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10)
for candidate in "${candidates[@]}"; do
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if "$path" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
cat >&2 <<'MSG'
Python 3.10 was not found (Rasa Open Source 3.6 needs Python 3.10; 3.11 and later do not work).
Install it, then run `make install` again, for example:
  pyenv install 3.10.13        (with pyenv), or
  sudo apt-get install python3.10 python3.10-venv   (Debian/Ubuntu with 3.10 packages)
MSG
exit 1
