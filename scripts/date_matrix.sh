#!/usr/bin/env bash
# The date-sensitive tests (appointments, slots, trade-in quotes and expiry, loyalty expiry
# and tiers, reports, the demo) at machine dates that have broken them or could, with the
# machine's clock moved by libfaketime (Debian's `faketime`).  Only the test's Python
# process (and what it starts) sees the fake date; PostgreSQL keeps the real one.
#   bash scripts/date_matrix.sh                 every date below
#   bash scripts/date_matrix.sh -k expiry       extra pytest arguments for every run
# HYPOTHESIS_SEED=<seed> replays the draws of a red run.  Exits non-zero if any run fails.
set -uo pipefail
cd "$(dirname "$0")/.."

command -v faketime >/dev/null 2>&1 || { echo "date matrix: faketime is not installed (apt-get install faketime)" >&2; exit 1; }

TESTS=(tests/core/test_appointments.py tests/core/test_slots.py tests/core/test_tradein.py
       tests/core/test_loyalty.py tests/core/test_demo.py tests/reports)
# report tests no date can change (sign-in of the report command, fonts of a Chinese page,
# currencies, an export's layout, the demo command's path handling): the main run has them
IGNORE=(--ignore tests/reports/test_report_cli_auth.py --ignore tests/reports/test_service_report_zh.py
        --ignore tests/reports/test_currency_documents.py --ignore tests/reports/test_dsr_export.py
        --ignore tests/reports/test_report_cli_demo.py)
# slow checks in those files that no date can change (determinism, bulk seeding, a long table's
# page breaks): the main run has them; five more runs would cost minutes of the 40
DESELECT=(--deselect tests/core/test_demo.py::test_same_seed_same_store
          --deselect tests/core/test_demo.py::test_seed_large_adds_rows_in_bulk
          --deselect tests/core/test_demo.py::test_seed_large_bootstraps_an_empty_database
          --deselect tests/reports/test_manager_reports.py::test_day_report_with_1000_appointments_repeats_its_table_header)

# moment (UTC) | the store's time zone (empty: the demo's own, Asia/Shanghai) | why this one
DATES=(
  "2026-12-06 10:00:00||a Sunday: the demo store is closed all day"
  "2026-12-31 23:59:00||year end in UTC, already 2027 in Shanghai"
  "2028-02-29 12:00:00||a leap day"
  "2026-03-08 06:30:00|America/New_York|01:30 in New York, half an hour before the clocks jump to 03:00"
  "2026-11-01 05:30:00|America/New_York|01:30 EDT in New York, the hour that happens twice"
)

seed_args=()
[ -n "${HYPOTHESIS_SEED:-}" ] && seed_args=(--hypothesis-seed="$HYPOTHESIS_SEED")

# The runs go two at a time (the machine's two cores; each run is one Python process that
# mostly waits on one core), each with its own pytest folder and its output kept in a file
# that is printed whole when the run ends, so the two never interleave.
LANES=${ORCHARD_DATE_LANES:-2}
work=$(mktemp -d /tmp/orchard-date-matrix.XXXXXX)
trap 'rm -rf "$work"' EXIT

run_one() {   # index, row
  local i=$1 when zone why
  IFS='|' read -r when zone why <<<"$2"
  local started=$SECONDS result
  # monotonic time stays real: Python's lock and queue timeouts wait on it (faked, they hang)
  if env TZ=UTC FAKETIME_DONT_FAKE_MONOTONIC=1 ${zone:+ORCHARD_STORE_TZ=$zone} QT_QPA_PLATFORM=offscreen \
      faketime -f "@$when" .venv/bin/python -m pytest -q -p no:cacheprovider --basetemp="$work/tmp$i" \
      "${seed_args[@]}" "${TESTS[@]}" "${IGNORE[@]}" "${DESELECT[@]}" "${EXTRA[@]}" >"$work/out$i" 2>&1
  then result=passed
  else result=FAILED
  fi
  {
    printf '\n\033[1m[date matrix] %s UTC%s: %s\033[0m\n' "$when" "${zone:+, store in $zone}" "$why"
    cat "$work/out$i"
  } >&2
  printf '%s|%s|%s|%s\n' "$when" "${zone:-Asia/Shanghai}" "$result" $((SECONDS - started)) >"$work/result$i"
}

EXTRA=("$@")
i=0
for row in "${DATES[@]}"; do
  run_one "$i" "$row" &
  i=$((i + 1))
  while [ "$(jobs -rp | wc -l)" -ge "$LANES" ]; do wait -n; done
done
wait

failed=()
summary=()
for ((j = 0; j < i; j++)); do
  IFS='|' read -r when zone result took <"$work/result$j"
  summary+=("$(printf '%-20s %-18s %-7s %4ss' "$when" "$zone" "$result" "$took")")
  [ "$result" = passed ] || failed+=("$when${zone:+ ($zone)}")
done

printf '\n\033[1m[date matrix]\033[0m\n' >&2
printf '  %s\n' "${summary[@]}" >&2
if [ ${#failed[@]} -gt 0 ]; then
  printf '\033[1m[date matrix] failed at:\033[0m %s\n' "${failed[*]}" >&2
  exit 1
fi
