# Sums secondme_api_errors_total samples of a Prometheus text exposition by error_code
# (non-zero only), one "code count" line each; the benchmark scripts compare tools with it.
/^secondme_api_errors_total\{/ {
	if (match($0, /error_code="[^"]*"/)) {
		code = substr($0, RSTART + 12, RLENGTH - 13); v = $NF + 0
		if (v > 0) sum[code] += v
	}
}
END { for (c in sum) printf "%s %d\n", c, sum[c] }
