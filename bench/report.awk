# bench/report.awk: turn the VMM's RESULT lines (build/bench/results.raw)
# into the table (stdout) and the machine-readable results (-v json=FILE).
#
#   awk -v date=... -v method=... -v wall_method=... -v json=FILE -f report.awk results.raw
#
# Per-call figures: median over the repetitions, with min and max. The
# ratios and targets use the medians. Upstream reference (Debian 6.12,
# upstream SMCCC filter, same -icount method; /work/shared/NOTES.md) and
# the series v1's figures (bench/README.md, 2026-11-22) for comparison.

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
function spread(k) { return stat(k) && MED ? sprintf("%.2f%%", 100 * (MAX - MIN) / MED) : "-" }
function jnum(v) { return v == "" ? "null" : v }
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

# target(name, value, op, limit, why-if-missed)
function target(name, v, op, lim,    ok, s, jn) {
	if (v == "")
		s = "not measured"
	else {
		ok = op == "<=" ? v <= lim : v >= lim
		s = ok ? "met" : "MISSED"
	}
	printf "  %-44s %s %-5s %-8s %s\n", name, op, lim, fmt(v, "%.3f"), s
	jn = name
	gsub(/"/, "\\\"", jn)
	tj = tj sprintf("%s\n    {\"target\": \"%s\", \"op\": \"%s\", \"limit\": %s, \"value\": %s, \"status\": \"%s\"}",
			tj == "" ? "" : ",", jn, op, lim, jnum(v), s)
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
	split("inkernel fwd-run fwd-onereg fwd-run-x0 fwd-onereg-x0 mmio", sc, " ")
	nsmp = split("fwd-run inkernel mmio user-spin", smp, " ")
	name["inkernel"]      = "(1)  in-kernel HVC SMCCC_VERSION"
	name["fwd-run"]       = "(2)  forwarded, answered in run struct, 7/4"
	name["fwd-onereg"]    = "(3)  forwarded, upstream way: 7 GET + 4 SET"
	name["fwd-run-x0"]    = "(2b) forwarded, answered in run struct, x0"
	name["fwd-onereg-x0"] = "(3b) forwarded, upstream way: 1 SET (x0)"
	name["mmio"]          = "(4)  MMIO write exit (KVM_EXIT_MMIO)"
	ref["inkernel"] = 1304; ref["fwd-onereg"] = 10457; ref["fwd-onereg-x0"] = 4799
	ref["mmio"] = 4413
	# the series v1, bench/README.md (make bench 2026-11-22 09:29 UTC)
	v1["inkernel"] = 1077.8; v1["fwd-run"] = 3405.1; v1["fwd-onereg"] = 10377.0
	v1["fwd-run-x0"] = 3378.3; v1["fwd-onereg-x0"] = 4034.4; v1["mmio"] = 3631.3
	v1["nocap-inkernel"] = 1074.6; v1["nocap-mmio"] = 3631.4
	I = SUBSEP "icount" SUBSEP; W = SUBSEP "wall" SUBSEP

	mmio = med("patched" I "mmio")
	base_ik = med("base" I "inkernel")
	printf "Benchmark: guest SMCCC calls forwarded to userspace (bench/run.sh, %s)\n", date
	printf "Method: %s\n\n", method
	printf "%-44s %9s %8s %9s %9s %5s %6s  %s\n", "icount: instructions per call", "patched",
	       "spread", "base", "v1", "sysc.", "/MMIO", "upstream 6.12 ref (/MMIO)"
	for (i = 1; i <= 6; i++) {
		s = sc[i]; k = "patched" I s
		p = med(k)
		b = med("base" I s)
		r = ref[s] ? sprintf("%d (%.2fx)", ref[s], ref[s] / ref["mmio"]) : "-"
		printf "%-44s %9s %8s %9s %9s %5s %6s  %s\n", name[s], fmt(p, "%.1f"), spread(k),
		       fmt(b, "%.1f"), fmt(v1[s], "%.1f"), fmt(sys[k], "%.0f"),
		       fmt(ratio(p, mmio), "%.2fx"), r
	}
	printf "(1)-(4): KVM_CAP_ARM_HYPERCALL_TO_USER on for HVC (the catch-all); below, the same\n"
	printf "kernel with nothing configured (an existing VMM) and with 16 SMCCC filter ranges:\n"
	nocap = med("patched-nocap" I "inkernel")
	f16 = med("patched-filter16" I "inkernel")
	printf "%-44s %9s %8s %9s %9s\n", "(1') in-kernel HVC, nothing configured", fmt(nocap, "%.1f"),
	       spread("patched-nocap" I "inkernel"), fmt(base_ik, "%.1f"), fmt(v1["nocap-inkernel"], "%.1f")
	printf "%-44s %9s %8s %9s %9s\n", "(4') MMIO write exit, nothing configured",
	       fmt(med("patched-nocap" I "mmio"), "%.1f"), spread("patched-nocap" I "mmio"),
	       fmt(med("base" I "mmio"), "%.1f"), fmt(v1["nocap-mmio"], "%.1f")
	printf "%-44s %9s %8s %9s %9s\n", "(1\") in-kernel HVC, 16 filter ranges", fmt(f16, "%.1f"),
	       spread("patched-filter16" I "inkernel"), fmt(base_ik, "%.1f"), "-"
	printf "%-44s %9s %8s %9s %9s %5s %6s\n", "(2\") forwarded by the filter, run struct",
	       fmt(med("patched-filter16" I "fwd-run"), "%.1f"), spread("patched-filter16" I "fwd-run"),
	       "-", "-", fmt(sys["patched-filter16" I "fwd-run"], "%.0f"),
	       fmt(ratio(med("patched-filter16" I "fwd-run"), med("patched-filter16" I "mmio")), "%.2fx")
	printf "%-44s %9s %8s %9s %9s\n", "(4\") MMIO write exit, 16 filter ranges",
	       fmt(med("patched-filter16" I "mmio"), "%.1f"), spread("patched-filter16" I "mmio"),
	       fmt(med("base" I "mmio"), "%.1f"), "-"

	if (cnt["patched" W "inkernel"] || cnt["patched" W "smp-ratio" SUBSEP "fwd-run"]) {
		printf "\n%-44s %9s %8s %9s %6s\n", "wall clock (-smp 2, MTTCG): ns per call",
		       "median", "min", "max", "/MMIO"
		wm = med("patched" W "mmio")
		for (i = 1; i <= 6; i++) {
			s = sc[i]; k = "patched" W s
			if (!stat(k))
				continue
			printf "%-44s %9.0f %8.0f %9.0f %6s\n", name[s], MED, MIN, MAX,
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

	printf "\nTargets (medians)\n"
	r24 = ratio(med("patched" I "fwd-run"), mmio)
	r3v1 = ratio(med("patched" I "fwd-onereg"), v1["fwd-onereg"])
	r5 = med("patched" W "smp-ratio" SUBSEP "fwd-run")
	r5m = med("patched" W "smp-ratio" SUBSEP "mmio")
	r6 = ratio(nocap, base_ik)
	r6f = ratio(f16, base_ik)
	r6c = ratio(med("patched" I "inkernel"), base_ik)
	target("(2)/(4) forwarded, run struct, vs MMIO exit", r24, "<=", "0.95")
	target("(3) upstream's ONE_REG way, v2/v1 (10377)", r3v1, "<=", "1.01")
	target("(1') in-kernel HVC/base, nothing configured", r6, "<=", "1.01")
	target("(1\") in-kernel HVC/base, 16 filter ranges", r6f, "<=", "1.01")
	target("(1) in-kernel HVC/base, catch-all on", r6c, "<=", "1.01")
	target("(5) 2-vCPU scaling, forwarded/MMIO (wall)", ratio(r5, r5m), ">=", "1.00")
	printf "\nSyscalls per forwarded call (counted by the VMM, every repetition):\n"
	printf "  run-struct ABI %s (KVM_RUN), ONE_REG protocol %s (KVM_RUN + 7 GET + 4 SET),\n",
	       fmt(sys["patched" I "fwd-run"], "%.0f"), fmt(sys["patched" I "fwd-onereg"], "%.0f")
	printf "  ONE_REG x0 only %s (KVM_RUN + 1 SET), MMIO %s (KVM_RUN), in-kernel %s\n",
	       fmt(sys["patched" I "fwd-onereg-x0"], "%.0f"), fmt(sys["patched" I "mmio"], "%.0f"),
	       fmt(sys["patched" I "inkernel"], "%.0f")
	if (skipped != "")
		printf "\nSkipped:\n%s", skipped
	if (runs != "")
		printf "\nQEMU runs (name, end, host load average 1/5/15 min at the end):\n%s", runs

	if (json == "")
		exit
	printf "{\n  \"date\": \"%s\",\n  \"method\": \"%s\",\n  \"wall_method\": \"%s\",\n", date,
	       method, wall_method > json
	printf "  \"runs\": [%s],\n", jruns > json
	printf "  \"unit\": {\"icount\": \"instructions/call\", \"wall\": \"ns/call\"},\n" > json
	printf "  \"icount\": {\n" > json
	nk = split("patched patched-nocap patched-filter16 base", kern, " ")
	for (j = 1; j <= nk; j++) {
		printf "    \"%s\": {", kern[j] > json
		sep = ""
		for (i = 1; i <= 6; i++) {
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
	for (i = 1; i <= 6; i++) {
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
	printf "  \"upstream_reference_6_12\": {\"inkernel\": 1304, \"mmio\": 4413, \"onereg_7get_4set\": 10457, \"onereg_1set\": 4799},\n" > json
	printf "  \"v1_icount\": {\"inkernel\": %s, \"fwd-run\": %s, \"fwd-onereg\": %s, \"fwd-run-x0\": %s, \"fwd-onereg-x0\": %s, \"mmio\": %s},\n",
	       v1["inkernel"], v1["fwd-run"], v1["fwd-onereg"], v1["fwd-run-x0"], v1["fwd-onereg-x0"], v1["mmio"] > json
	printf "  \"targets\": [%s\n  ]\n}\n", tj > json
}
