# bench/report.awk: turn the VMM's RESULT lines (build/bench/results.raw)
# into the table (stdout) and the machine-readable results (-v json=FILE).
#
#   awk -v date=... -v method=... -v wall_method=... [-v json=FILE] [-v md=FILE] \
#       -f report.awk bench/targets results.raw
#
# What the table shows and judges (its columns, rows, targets and the
# upstream reference) is bench/targets, the first file. Per-call figures:
# median over the repetitions, with min and max; ratios and targets use the
# medians.

function add(k, v) { cnt[k]++; val[k, cnt[k]] = v + 0 }

# Sets MED, MIN, MAX (and returns 1) if k has values, else returns 0.
function stat(k,    n, i, j, t, a) {
	n = cnt[k] + 0
	if (!n)
		return 0
	for (i = 1; i <= n; i++)
		a[i] = val[k, i]
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	MIN = a[1]; MAX = a[n]
	MED = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	return 1
}

function med(k) { return stat(k) ? MED : "" }
function fmt(v, f) { return v == "" ? "-" : sprintf(f, v) }
function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "" : a / b }
function spread(k) { return stat(k) && MED ? 100 * (MAX - MIN) / MED : "" }
function jnum(v) { return v == "" ? "null" : v }
function jstr(v) { gsub(/\\/, "\\\\", v); gsub(/"/, "\\\"", v); return "\"" v "\"" }
# The rest of the line from field n on
function rest(n,    s, i) {
	s = $0
	for (i = 1; i < n; i++)
		sub(/^[ \t]*[^ \t]+[ \t]+/, "", s)
	return s
}
# The icount median of "KERNEL:SCENARIO"
function fig(ks,    p) { p = index(ks, ":"); return med(substr(ks, 1, p - 1) I substr(ks, p + 1)) }
# The smp figures of one run kind (W wall, I icount) as JSON members.
function smp_json(kind, indent,    j, o, k) {
	for (j = 1; j <= nsmp; j++) {
		o = smp[j]
		k = "patched" kind
		printf "%s\n%s\"%s\": {\"calls_per_s_1vcpu\": %s, \"calls_per_s_2vcpus\": %s, \"ratio\": %s}",
		       (j > 1 ? "," : ""), indent, o, jstat(k "smp" SUBSEP o SUBSEP 1),
		       jstat(k "smp" SUBSEP o SUBSEP 2), jstat(k "smp-ratio" SUBSEP o) > json
	}
}
function jstat(k) {
	if (!stat(k))
		return "null"
	return sprintf("{\"median\": %s, \"min\": %s, \"max\": %s, \"reps\": %d}",
		       MED, MIN, MAX, cnt[k])
}

# -v md=FILE: the targets as a Markdown before/after table (bench/README.md):
# the base kernel's figure, the series', the ratio and its judgement; a
# reference on the series' kernel itself shows as "figure / reference".
function markdown(    t, f, r) {
	printf "| id | what | base kernel | series kernel | ratio | target | |\n" > md
	printf "|---|---|---:|---:|---:|---|---|\n" > md
	for (t = 1; t <= nt; t++) {
		f = fmt(fig(tfig[t]), "%.1f"); r = fmt(fig(tref[t]), "%.1f")
		printf "| %s | %s | %s | %s | %s | %s | %s |\n", tid[t], ttext[t],
		       tref[t] ~ /^base/ ? r : "-", tref[t] ~ /^base/ ? f : f " / " r,
		       fmt(tv[t], "%.4f"), top[t] == "-" ? "-" : top[t] " " tlim[t],
		       st[t] == "MISSED" ? "**MISSED**" : st[t] > md
	}
}

BEGIN { I = SUBSEP "icount" SUBSEP; W = SUBSEP "wall" SUBSEP }

# bench/targets
FILENAME == ARGV[1] {
	if ($1 == "kernel") { kern[++nk] = $2; ktext[$2] = rest(3) }
	else if ($1 == "scenario") { sc[++nsc] = $2; stext[$2] = rest(3) }
	else if ($1 == "target") {
		nt++; tid[nt] = $2; tfig[nt] = $3; tref[nt] = $4; top[nt] = $5; tlim[nt] = $6
		ttext[nt] = rest(7)
	}
	else if ($1 == "ref") ref[$2] = $3
	else if ($1 != "" && $1 !~ /^#/) { printf "report.awk: %s:%d: what is \"%s\"?\n", FILENAME, FNR, $1 > "/dev/stderr"; bad = 1; exit 1 }
	next
}

/^RESULT / {
	split("", kv)
	for (i = 2; i <= NF; i++) {
		p = index($i, "=")
		kv[substr($i, 1, p - 1)] = substr($i, p + 1)
	}
	k = kv["kernel"] SUBSEP kv["mode"] SUBSEP kv["scenario"]
	if (kv["scenario"] == "smp") {
		add(k SUBSEP kv["of"] SUBSEP kv["vcpus"], kv["calls_per_s"])
		if ("sys_ns_per_call" in kv) {
			add(k SUBSEP kv["of"] SUBSEP kv["vcpus"] SUBSEP "user", kv["user_ns_per_call"])
			add(k SUBSEP kv["of"] SUBSEP kv["vcpus"] SUBSEP "sys", kv["sys_ns_per_call"])
			add(k SUBSEP kv["of"] SUBSEP kv["vcpus"] SUBSEP "vcsw", kv["vcsw_per_call"])
			add(k SUBSEP kv["of"] SUBSEP kv["vcpus"] SUBSEP "ivcsw", kv["ivcsw_per_call"])
		}
	}
	else if (kv["scenario"] == "smp-ratio")
		add(k SUBSEP kv["of"], kv["ratio"])
	else {
		add(k, kv["per_call"])
		sys[k] = kv["syscalls_per_call"]
		nn[k] = kv["n"]
	}
	next
}
/^SKIP / { skipped = skipped "  " $0 "\n" }
/^RUN / { sub(/^RUN /, ""); runs = runs "  " $0 "\n"; jruns = jruns (jruns == "" ? "" : ", ") "\"" $0 "\"" }

END {
	if (bad)
		exit 1
	nsmp = split("fwd-run inkernel mmio user-spin", smp, " ")

	printf "Benchmark: guest SMCCC calls forwarded to userspace (bench/run.sh, %s)\n", date
	printf "Method: %s\n\n", method
	printf "icount: instructions per call (medians)\n"
	printf "%-53s", ""
	for (j = 1; j <= nk; j++)
		printf " %9s", "(" j ")"
	printf " %7s %5s  %s\n", "spread", "sysc.", "upstream ref (/MMIO)"
	for (i = 1; i <= nsc; i++) {
		s = sc[i]; sp = ""; sy = ""
		printf "%-14s %-38s", s, stext[s]
		for (j = 1; j <= nk; j++) {
			k = kern[j] I s
			printf " %9s", fmt(med(k), "%.1f")
			if (spread(k) != "" && spread(k) > sp + 0)
				sp = spread(k)
			if (k in sys)
				sy = sys[k]
		}
		printf " %7s %5s  %s\n", fmt(sp, "%.2f%%"), fmt(sy, "%.0f"),
		       s in ref ? sprintf("%d (%.2fx)", ref[s], ref[s] / ref["mmio"]) : "-"
	}
	for (j = 1; j <= nk; j++)
		printf "(%d) %s: %s\n", j, kern[j], ktext[kern[j]]
	printf "spread: the widest (max - min) / median of a row's columns; sysc.: ioctls per call, counted\n"

	if (cnt["patched" W "inkernel"] || cnt["patched" W "smp-ratio" SUBSEP "fwd-run"]) {
		printf "\n%-44s %9s %8s %9s %6s\n", "wall clock (-smp 2, MTTCG): ns per call",
		       "median", "min", "max", "/MMIO"
		wm = med("patched" W "mmio")
		for (i = 1; i <= nsc; i++) {
			s = sc[i]; k = "patched" W s
			if (!stat(k))
				continue
			printf "%-44s %9.0f %8.0f %9.0f %6s\n", s, MED, MIN, MAX,
			       fmt(ratio(MED, wm), "%.2fx")
		}
		for (j = 1; j <= nsmp; j++) {
			o = smp[j]
			for (v = 1; v <= 2; v++)
				if (stat("patched" W "smp" SUBSEP o SUBSEP v))
					printf "%-44s %9.0f %8.0f %9.0f\n",
					       sprintf("(5)%s %s calls/s, %d vCPU%s", j > 1 ? "c" : " ", o, v,
						       v > 1 ? "s at once" : ""), MED, MIN, MAX
			if (stat("patched" W "smp-ratio" SUBSEP o))
				printf "%-44s %9.3f %8.3f %9.3f\n",
				       sprintf("(5)%s %s throughput 2 vCPUs / 1", j > 1 ? "c" : " ", o),
				       MED, MIN, MAX
		}
		if (stat("patched" W "smp" SUBSEP "fwd-run" SUBSEP 1 SUBSEP "sys")) {
			printf "\n%-44s %9s %9s %9s %9s\n", "(5) where the time goes, per call (medians)",
			       "user ns", "sys ns", "vcsw", "ivcsw"
			for (j = 1; j <= nsmp; j++)
				for (v = 1; v <= 2; v++) {
					k = "patched" W "smp" SUBSEP smp[j] SUBSEP v SUBSEP
					printf "%-44s %9s %9s %9s %9s\n",
					       sprintf("    %s, %d vCPU%s", smp[j], v, v > 1 ? "s" : ""),
					       fmt(med(k "user"), "%.0f"), fmt(med(k "sys"), "%.0f"),
					       fmt(med(k "vcsw"), "%.4f"), fmt(med(k "ivcsw"), "%.4f")
				}
			printf "(getrusage(RUSAGE_THREAD) of the vCPU threads over each job, summed: user =\n"
			printf " the VMM and the nested guest, sys = the QEMU guest's kernel (KVM); tick-based)\n"
		}
		for (j = 2; j <= nsmp; j++)
			if (stat("base" W "smp-ratio" SUBSEP smp[j]))
				printf "%-44s %9.3f %8.3f %9.3f\n",
				       sprintf("(5b) base kernel: %s 2 vCPUs / 1", smp[j]), MED, MIN, MAX
		printf "(5c: controls: the same measurement without a forwarded call, and a plain\n"
		printf " userspace loop in the same threads, which shows what QEMU and the host give)\n"
		printf "Wall method: %s\n", wall_method
	}

	if (stat("patched" I "smp-ratio" SUBSEP "fwd-run")) {
		printf "\n%-44s %9s %9s %9s %9s\n", "-smp 2 -icount (one host thread, round robin)",
		       "instr/call", "2 vCPUs", "2/1", "sys ns"
		for (j = 1; j <= nsmp; j++) {
			o = smp[j]; k = "patched" I "smp" SUBSEP o SUBSEP
			printf "%-44s %9s %9s %9s %9s\n", sprintf("(5i) %s, 1 vCPU / 2 vCPUs", o),
			       fmt(ratio(1e9, med(k 1)), "%.1f"), fmt(ratio(1e9, med(k 2)), "%.1f"),
			       fmt(med("patched" I "smp-ratio" SUBSEP o), "%.4f"),
			       fmt(med(k 1 SUBSEP "sys"), "%.0f") "/" fmt(med(k 2 SUBSEP "sys"), "%.0f")
		}
		printf "(instructions per call for the whole QEMU guest; 2/1 = throughput with two vCPUs\n"
		printf " over one: 1.0000 means nothing in the QEMU guest's kernel or the VMM costs more\n"
		printf " with two vCPUs calling at once; below 1 is contention inside the guest)\n"
	}

	# The targets: figure / reference, judged (bench/targets)
	printf "\nTargets (bench/targets; -icount instructions per call, medians)\n"
	printf "%-3s %-62s %9s %9s %7s %7s %7s  %s\n", "", "figure / reference", "reference", "figure",
	       "diff", "ratio", "target", "status"
	for (t = 1; t <= nt; t++) {
		f = fig(tfig[t]); r = fig(tref[t]); v = ratio(f, r)
		if (top[t] == "-")
			st[t] = "-"
		else if (v == "")
			st[t] = "not measured"
		else
			st[t] = (top[t] == "<=" ? v <= tlim[t] + 0 : v >= tlim[t] + 0) ? "met" : "MISSED"
		tv[t] = v
		printf "%-3s %-62s %9s %9s %7s %7s %7s  %s\n", tid[t], tfig[t] " / " tref[t], fmt(r, "%.1f"),
		       fmt(f, "%.1f"), v == "" ? "-" : sprintf("%+.1f", f - r), fmt(v, "%.4f"), top[t] == "-" ? "-" : top[t] " " tlim[t], st[t]
		printf "    %s\n", ttext[t]
	}
	if (md != "")
		markdown()
	if (skipped != "")
		printf "\nSkipped:\n%s", skipped
	if (runs != "")
		printf "\nQEMU runs (name, end, host load average 1/5/15 min at the end):\n%s", runs

	if (json == "")
		exit
	printf "{\n  \"date\": %s,\n  \"method\": %s,\n  \"wall_method\": %s,\n", jstr(date),
	       jstr(method), jstr(wall_method) > json
	printf "  \"runs\": [%s],\n", jruns > json
	printf "  \"unit\": {\"icount\": \"instructions/call\", \"wall\": \"ns/call\"},\n" > json
	printf "  \"icount\": {\n" > json
	for (j = 1; j <= nk; j++) {
		printf "    \"%s\": {", kern[j] > json
		sep = ""
		for (i = 1; i <= nsc; i++) {
			k = kern[j] I sc[i]
			if (!cnt[k])
				continue
			printf "%s\n      \"%s\": {\"per_call\": %s, \"n\": %s, \"syscalls_per_call\": %s}",
			       sep, sc[i], jstat(k), nn[k], sys[k] > json
			sep = ","
		}
		printf "\n    }%s\n", j < nk ? "," : "" > json
	}
	printf "  },\n  \"wall\": {\n    \"patched\": {" > json
	sep = ""
	for (i = 1; i <= nsc; i++) {
		k = "patched" W sc[i]
		if (!cnt[k])
			continue
		printf "%s\n      \"%s\": {\"per_call\": %s, \"n\": %s, \"syscalls_per_call\": %s}",
		       sep, sc[i], jstat(k), nn[k], sys[k] > json
		sep = ","
	}
	printf "%s\n      \"smp\": {", sep > json
	smp_json(W, "        ")
	printf "\n      }\n" > json
	printf "    }\n  },\n" > json
	printf "  \"smp_icount\": {" > json
	smp_json(I, "    ")
	printf "\n  },\n" > json
	printf "  \"upstream_reference\": {" > json
	sep = ""
	for (i = 1; i <= nsc; i++)
		if (sc[i] in ref) {
			printf "%s\"%s\": %s", sep, sc[i], ref[sc[i]] > json
			sep = ", "
		}
	printf "},\n  \"targets\": [" > json
	for (t = 1; t <= nt; t++)
		printf "%s\n    {\"id\": %s, \"figure\": %s, \"reference\": %s, \"op\": %s, \"limit\": %s, \"ratio\": %s, \"status\": %s, \"what\": %s}",
		       (t > 1 ? "," : ""), jstr(tid[t]), jstr(tfig[t]), jstr(tref[t]), jstr(top[t]),
		       top[t] == "-" ? "null" : tlim[t], jnum(tv[t]), jstr(st[t]), jstr(ttext[t]) > json
	printf "\n  ]\n}\n" > json
}
