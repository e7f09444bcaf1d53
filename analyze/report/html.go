package report

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"strings"
	"time"
)

// WriteHTML writes a single self-contained HTML file: inline CSS, one inline
// SVG chart per section, no script, no external resource. The markup is
// also well-formed XML (every element closed, attributes quoted, text
// escaped), so it can be processed as XHTML.
func WriteHTML(w io.Writer, d *Document) error {
	bw := bufio.NewWriter(w)
	p := &textWriter{w: bw}
	p.f(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>SecondMe error analysis: %s</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 1000px; color: #1f2328; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; border-bottom: 1px solid #d0d7de; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; margin: .8em 0; font-size: 13px; }
th, td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.spike td { background: #fff1f0; font-weight: 600; }
code { font: 12px ui-monospace, monospace; }
svg { display: block; margin: .6em 0; }
svg text { font: 11px system-ui, sans-serif; fill: #1f2328; }
.muted { color: #59636e; }
</style>
</head>
<body>
<h1>SecondMe error analysis: source <code>%s</code></h1>
`, esc(d.Source), esc(d.Source))

	// Overview.
	p.f("<section id=\"overview\">\n<h2>Overview</h2>\n<ul>\n")
	for _, in := range d.Inputs {
		p.f("<li>Input <code>%s</code>: %s read, %d records%s</li>\n", esc(in.Name), humanBytes(in.BytesRead), in.Records, esc(unterminated(in)))
	}
	p.f("<li>Records: %d (%s)</li>\n<li>Envelopes: %s</li>\n<li>Event time: %s</li>\n</ul>\n",
		d.Records, humanBytes(d.Bytes), esc(envelopeLine(d)), esc(timeLine(d)))
	p.f("<p class=\"muted\">All responses by status class:</p>\n")
	p.f("%s</section>\n", hbarChart(byName(d.ResponsesByStatusClass), "responses"))

	total := d.Envelopes.Errors
	for _, sec := range []struct {
		id, title, col string
		m              map[string]int64
	}{
		{"modules", "Errors by module", "Module", d.ByModule},
		{"resources", "Errors by resource", "Resource", d.ByResource},
		{"status-classes", "Errors by status class", "Status class", d.ByStatusClass},
	} {
		p.f("<section id=%q>\n<h2>%s</h2>\n", sec.id, sec.title)
		rows := byCount(sec.m)
		p.f("%s", hbarChart(rows, "errors"))
		p.f("<table>\n<tr><th>%s</th><th>Errors</th><th>Share</th></tr>\n", sec.col)
		for _, r := range rows {
			p.f("<tr><td>%s</td><td class=\"n\">%d</td><td class=\"n\">%s</td></tr>\n", esc(r.Name), r.Count, share(r.Count, total))
		}
		p.f("</table>\n</section>\n")
	}

	p.f("<section id=\"top-codes\">\n<h2>Top error codes</h2>\n")
	p.f("%s", hbarChart(codeBars(d.TopErrorCodes), "errors"))
	htmlCodes(p, d.TopErrorCodes, true)
	p.f("</section>\n")

	p.f("<section id=\"unknown-codes\">\n<h2>Unknown error codes</h2>\n")
	p.f("%s", hbarChart(codeBars(d.UnknownCodes), "errors"))
	htmlCodes(p, d.UnknownCodes, false)
	p.f("</section>\n")

	p.f("<section id=\"mismatches\">\n<h2>Status mismatches</h2>\n")
	var mm []kv
	for _, m := range d.StatusMismatches {
		mm = append(mm, kv{fmt.Sprintf("%s %d (catalog %d)", m.ErrorCode, m.Code, m.ExpectedCode), m.Count})
	}
	p.f("%s", hbarChart(mm, "envelopes"))
	if len(d.StatusMismatches) > 0 {
		p.f("<table>\n<tr><th>Error code</th><th>Logged</th><th>Catalog</th><th>Count</th></tr>\n")
		for _, m := range d.StatusMismatches {
			p.f("<tr><td><code>%s</code></td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td></tr>\n",
				esc(m.ErrorCode), m.Code, m.ExpectedCode, m.Count)
		}
		p.f("</table>\n")
	}
	p.f("</section>\n")

	p.f("<section id=\"timeline\">\n<h2>Timeline</h2>\n")
	p.f("<p class=\"muted\">Errors per %s bucket (UTC); red columns are spikes (%s).</p>\n",
		durationString(float64(d.Timeline.BucketSeconds)), esc(spikeRuleLine(d)))
	p.f("%s", timelineChart(d))
	if len(d.Timeline.Spikes) > 0 {
		p.f("<table>\n<tr><th>Bucket</th><th>Error code</th><th>Count</th><th>Baseline</th></tr>\n")
		for _, s := range d.Timeline.Spikes {
			p.f("<tr class=\"spike\"><td>%s</td><td><code>%s</code></td><td class=\"n\">%d</td><td class=\"n\">%g</td></tr>\n",
				stamp(s.Start), esc(s.ErrorCode), s.Count, s.Baseline)
		}
		p.f("</table>\n")
	}
	p.f("</section>\n")

	if b := d.Backtest; b != nil {
		p.f("<section id=\"backtest\">\n<h2>Backtest: alerts that would have fired</h2>\n")
		p.f("<p class=\"muted\">Rules %s; virtual scrape every %s, evaluation every %s; %s to %s; %d evaluations over %d series.</p>\n",
			esc(strings.Join(b.RuleFiles, ", ")), durationString(b.ScrapeIntervalSeconds),
			durationString(b.EvaluationIntervalSeconds), stamp(b.Start), stamp(b.End), b.Evaluations, b.Series)
		p.f("%s", ganttChart(b))
		if len(b.Alerts) > 0 {
			p.f("<table>\n<tr><th>Alert</th><th>Start</th><th>End</th><th>Duration</th><th>Peak</th><th>Labels</th></tr>\n")
			for _, a := range b.Alerts {
				p.f("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class=\"n\">%s</td><td><code>%s</code></td></tr>\n",
					esc(a.Name), stamp(a.Start), alertEnd(a), durationString(a.DurationSeconds), value(a.PeakValue),
					esc(labelString(a.Labels, alertLabelsSkip...)))
			}
			p.f("</table>\n")
		}
		for _, e := range b.RuleErrors {
			p.f("<p>Rule error: group <code>%s</code> rule <code>%s</code> at %s: %s</p>\n",
				esc(e.Group), esc(e.Rule), stamp(e.At), esc(e.Error))
		}
		p.f("</section>\n")
	}

	if n := d.Notifications; n != nil {
		p.f("<section id=\"notifications\">\n<h2>Alertmanager: notifications each receiver would have got</h2>\n")
		p.f("<p class=\"muted\">Configuration <code>%s</code>: %d notifications in all.</p>\n", esc(n.Config), totalNotifications(n))
		var bars []kv
		for _, r := range n.Receivers {
			bars = append(bars, kv{r.Receiver, int64(r.Notifications)})
		}
		p.f("%s", hbarChart(bars, "notifications"))
		p.f("<table>\n<tr><th>Receiver</th><th>Notifications</th><th>Firing</th><th>Resolved only</th><th>Groups</th><th>Integrations</th></tr>\n")
		for _, r := range n.Receivers {
			integ := strings.Join(r.Integrations, ", ")
			if integ == "" {
				integ = "none (delivers nothing)"
			}
			p.f("<tr><td>%s</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td>%s</td></tr>\n",
				esc(r.Receiver), r.Notifications, r.Firing, r.Resolved, r.Groups, esc(integ))
		}
		p.f("</table>\n")
		if len(n.Sent) > 0 {
			p.f("<table>\n<tr><th>At</th><th>Receiver</th><th>Reason</th><th>Firing</th><th>Resolved</th><th>Group</th></tr>\n")
			for _, s := range n.Sent {
				p.f("<tr><td>%s</td><td>%s</td><td>%s</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td><code>%s</code></td></tr>\n",
					stamp(s.At), esc(s.Receiver), esc(s.Reason), s.Firing, s.Resolved, esc(labelString(s.GroupLabels)))
			}
			p.f("</table>\n")
		}
		p.f("</section>\n")
	}
	p.f("</body>\n</html>\n")
	if p.err != nil {
		return p.err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

func esc(s string) string { return html.EscapeString(s) }

func codeBars(rows []CodeRow) []kv {
	out := make([]kv, 0, len(rows))
	for _, r := range rows {
		out = append(out, kv{r.ErrorCode, r.Count})
	}
	return out
}

func htmlCodes(p *textWriter, rows []CodeRow, meaning bool) {
	if len(rows) == 0 {
		return
	}
	p.f("<table>\n<tr><th>Error code</th><th>Count</th><th>Share</th><th>Logged as</th>")
	if meaning {
		p.f("<th>Meaning</th><th>Recommended action</th>")
	}
	p.f("<th>First seen</th><th>Last seen</th></tr>\n")
	for _, r := range rows {
		var logged []string
		for _, s := range byName(r.ByStatus) {
			logged = append(logged, fmt.Sprintf("%s: %d", s.Name, s.Count))
		}
		p.f("<tr><td><code>%s</code></td><td class=\"n\">%d</td><td class=\"n\">%s</td><td>%s</td>",
			esc(r.ErrorCode), r.Count, percent(r.Share), esc(strings.Join(logged, ", ")))
		if meaning {
			desc, action := r.Description, r.Action
			if !r.Known {
				desc, action = "not in the catalog", "-"
			}
			p.f("<td>%s</td><td>%s</td>", esc(desc), esc(action))
		}
		p.f("<td>%s</td><td>%s</td></tr>\n", stampPtr(r.FirstSeen), stampPtr(r.LastSeen))
	}
	p.f("</table>\n")
}

// Chart geometry, in SVG user units (pixels at 100%).
const (
	chartWidth = 960
	labelWidth = 300
	barHeight  = 18
	barGap     = 4
	// The alert chart's labels are longer (an alert name and a code).
	ganttLabelWidth = 340
)

// emptyChart is the chart of a section without data: a section always has
// its chart, so a reader sees at a glance that there was nothing.
func emptyChart(what string) string {
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="30" role="img" aria-label="no %s">`+
		`<text x="4" y="19" class="muted">no %s</text></svg>`+"\n", chartWidth, esc(what), esc(what))
}

// hbarChart draws one horizontal bar per row, labelled, scaled to the max.
func hbarChart(rows []kv, what string) string {
	if len(rows) == 0 {
		return emptyChart(what)
	}
	var peak int64
	for _, r := range rows {
		peak = max(peak, r.Count)
	}
	h := len(rows)*(barHeight+barGap) + barGap
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" role="img" aria-label="%s">`+"\n",
		chartWidth, h, esc(what))
	span := float64(chartWidth - labelWidth - 70)
	for i, r := range rows {
		y := barGap + i*(barHeight+barGap)
		w := 0.0
		if peak > 0 {
			w = float64(r.Count) / float64(peak) * span
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, labelWidth-6, y+13, esc(r.Name))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="#4c78a8"><title>%s: %d</title></rect>`,
			labelWidth, y, w, barHeight, esc(r.Name), r.Count)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d">%d</text>`+"\n", float64(labelWidth)+w+4, y+13, r.Count)
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// timelineChart draws one column per bucket, spikes in red.
func timelineChart(d *Document) string {
	bs := d.Timeline.Buckets
	if len(bs) == 0 {
		return emptyChart("timed envelopes")
	}
	const h, top, bottom, left = 220, 10, 30, 40
	var peak int64 = 1
	for _, bk := range bs {
		peak = max(peak, bk.Errors)
	}
	plotW := float64(chartWidth - left - 10)
	colW := plotW / float64(len(bs))
	plotH := float64(h - top - bottom)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" role="img" aria-label="errors per bucket">`+"\n",
		chartWidth, h)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#8c959f" />`, left, h-bottom, chartWidth-10, h-bottom)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%d</text>`, left-4, top+8, peak)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">0</text>`+"\n", left-4, h-bottom)
	labelEvery := max(1, len(bs)/8)
	for i, bk := range bs {
		x := float64(left) + float64(i)*colW
		ch := float64(bk.Errors) / float64(peak) * plotH
		fill := "#4c78a8"
		if bk.Spike {
			fill = "#d62728"
		}
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %d errors%s</title></rect>`,
			x, float64(h-bottom)-ch, max(colW-1, 0.5), ch, fill, esc(clock(d, bk.Start)), bk.Errors, spikeTitle(bk))
		if i%labelEvery == 0 && x < chartWidth-50 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d">%s</text>`, x, h-bottom+16, esc(clock(d, bk.Start)))
		}
		b.WriteString("\n")
	}
	b.WriteString("</svg>\n")
	return b.String()
}

func spikeTitle(b Bucket) string {
	if !b.Spike {
		return ""
	}
	return "; spike: " + strings.Join(b.SpikeCodes, ", ")
}

// ganttChart draws every alert episode as a bar over the replayed range.
func ganttChart(bt *Backtest) string {
	if len(bt.Alerts) == 0 {
		return emptyChart("alert fired")
	}
	span := bt.End.Sub(bt.Start)
	if span <= 0 {
		span = time.Second
	}
	const labelWidth = ganttLabelWidth
	plotW := float64(chartWidth - labelWidth - 10)
	x := func(t time.Time) float64 {
		return float64(labelWidth) + float64(t.Sub(bt.Start))/float64(span)*plotW
	}
	h := len(bt.Alerts)*(barHeight+barGap) + barGap + 20
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" role="img" aria-label="alerts over time">`+"\n",
		chartWidth, h)
	for i, a := range bt.Alerts {
		y := barGap + i*(barHeight+barGap)
		end := bt.End
		if a.End != nil {
			end = *a.End
		}
		pend := x(a.PendingSince)
		start := x(a.Start)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, labelWidth-6, y+13, esc(ganttLabel(a)))
		fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="#f2cc8f"><title>pending since %s</title></rect>`,
			pend, y, max(start-pend, 0), barHeight, stamp(a.PendingSince))
		fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="#d62728"><title>%s firing %s .. %s, peak %s</title></rect>`+"\n",
			start, y, max(x(end)-start, 1), barHeight, esc(a.Name), stamp(a.Start), alertEnd(a), value(a.PeakValue))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`, labelWidth, h-4, stamp(bt.Start))
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", chartWidth-10, h-4, stamp(bt.End))
	b.WriteString("</svg>\n")
	return b.String()
}

// ganttLabel names an alert episode in the width of the label column: the
// alert, and the labels that usually tell its episodes apart.
func ganttLabel(a Alert) string {
	s := a.Name
	for _, l := range []string{"error_code", "code", "severity"} {
		if v, ok := a.Labels[l]; ok {
			s += " " + v
		}
	}
	if r := []rune(s); len(r) > 42 {
		s = string(r[:41]) + "…"
	}
	return s
}
