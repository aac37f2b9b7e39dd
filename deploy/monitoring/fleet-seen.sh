#!/bin/sh
# Every screen that pulls, from the web server's access log (the format in
# nginx-fleet-log.conf): when it was last seen, from where, the playlist it
# plays, and what looks wrong:
#   SILENT  not seen for 15 minutes (off, offline, or its player stopped)
#   OLD     plays another playlist than the one most screens were last seen with
# Usage: fleet-seen.sh [/var/log/nginx/noticeboard.log] [minutes]
log="${1:-/var/log/nginx/noticeboard.log}"
minutes="${2:-15}"
now=$(date +%s)
awk -F'"' -v now="$now" -v limit="$((minutes * 60))" '
  # time address "name" hash status uri: split at the quotes, so a name may
  # hold spaces; a request without the header logs "" (or "-").
  NF >= 3 && $2 != "" && $2 != "-" {
    split($1, head, " "); split($3, tail, " ")
    seen[$2] = head[1]; addr[$2] = head[2]; hash[$2] = tail[1]
  }
  END {
    for (n in hash) count[hash[n]]++
    best = ""; for (h in count) if (count[h] > count[best]) best = h
    printf "%-20s %-25s %-15s %-16s %s\n", "SCREEN", "LAST SEEN", "ADDRESS", "PLAYLIST", "STATE"
    for (n in seen) {
      cmd = "date -d \"" seen[n] "\" +%s"; cmd | getline epoch; close(cmd)
      state = "ok"
      if (now - epoch > limit) state = "SILENT"
      if (hash[n] != best) state = (state == "ok" ? "OLD" : state ",OLD")
      printf "%-20s %-25s %-15s %-16s %s\n", n, seen[n], addr[n], substr(hash[n], 1, 16), state
    }
  }' "$log" | { read -r header; echo "$header"; sort; }
