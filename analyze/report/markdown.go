package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes the report as GitHub-flavoured Markdown, to paste
// into an incident document.
func WriteMarkdown(w io.Writer, d *Document) error {
	bw := bufio.NewWriter(w)
	p := &textWriter{w: bw}
	p.f("# SecondMe error analysis: source `%s`\n\n", d.Source)
	for _, in := range d.Inputs {
		p.f("- Input `%s`: %s read, %d records%s\n", in.Name, humanBytes(in.BytesRead), in.Records, unterminated(in))
	}
	p.f("- Records: %d (%s)\n", d.Records, humanBytes(d.Bytes))
	p.f("- Envelopes: %s\n", envelopeLine(d))
	p.f("- Event time: %s\n", timeLine(d))

	total := d.Envelopes.Errors
	p.f("\n## Errors by module, resource and status class\n\n")
	p.f("| Module | Errors | Share |\n|---|---:|---:|\n")
	for _, r := range byCount(d.ByModule) {
		p.f("| %s | %d | %s |\n", md(r.Name), r.Count, share(r.Count, total))
	}
	p.f("\n| Resource | Errors | Share |\n|---|---:|---:|\n")
	for _, r := range byCount(d.ByResource) {
		p.f("| %s | %d | %s |\n", md(r.Name), r.Count, share(r.Count, total))
	}
	p.f("\n| Status class | Errors | All responses |\n|---|---:|---:|\n")
	classes := map[string]bool{}
	for k := range d.ByStatusClass {
		classes[k] = true
	}
	for k := range d.ResponsesByStatusClass {
		classes[k] = true
	}
	for _, c := range byName(boolKeys(classes)) {
		p.f("| %s | %d | %d |\n", c.Name, d.ByStatusClass[c.Name], d.ResponsesByStatusClass[c.Name])
	}

	p.f("\n## Top error codes\n\n")
	mdCodes(p, d.TopErrorCodes, true)
	p.f("\n## Unknown error codes\n\n")
	mdCodes(p, d.UnknownCodes, false)

	p.f("\n## Status mismatches\n\n")
	if len(d.StatusMismatches) == 0 {
		p.f("None.\n")
	} else {
		p.f("| Error code | Logged | Catalog | Count |\n|---|---:|---:|---:|\n")
		for _, m := range d.StatusMismatches {
			p.f("| `%s` | %d | %d | %d |\n", m.ErrorCode, m.Code, m.ExpectedCode, m.Count)
		}
	}

	p.f("\n## Timeline\n\n")
	if len(d.Timeline.Buckets) == 0 {
		p.f("No timed envelopes.\n")
	} else {
		p.f("Errors per %s bucket; %s. Spiking rows are in bold.\n\n",
			durationString(float64(d.Timeline.BucketSeconds)), spikeRuleLine(d))
		p.f("| Time (UTC) | Errors | Responses | Spike |\n|---|---:|---:|---|\n")
		for _, b := range d.Timeline.Buckets {
			t, e := clock(d, b.Start), fmt.Sprint(b.Errors)
			mark := ""
			if b.Spike {
				t, e = "**"+t+"**", "**"+e+"**"
				mark = md(strings.Join(b.SpikeCodes, ", "))
			}
			p.f("| %s | %s | %d | %s |\n", t, e, b.Responses, mark)
		}
	}

	if b := d.Backtest; b != nil {
		p.f("\n## Backtest: alerts that would have fired\n\n")
		p.f("Rules %s, virtual scrape every %s, evaluation every %s, %s to %s (%d evaluations, %d series).\n\n",
			"`"+strings.Join(b.RuleFiles, "`, `")+"`", durationString(b.ScrapeIntervalSeconds),
			durationString(b.EvaluationIntervalSeconds), stamp(b.Start), stamp(b.End), b.Evaluations, b.Series)
		if len(b.Alerts) == 0 {
			p.f("No alert fired.\n")
		} else {
			p.f("| Alert | Start | End | Duration | Peak | Labels |\n|---|---|---|---|---:|---|\n")
			for _, a := range b.Alerts {
				p.f("| %s | %s | %s | %s | %s | %s |\n", md(a.Name), stamp(a.Start), alertEnd(a),
					durationString(a.DurationSeconds), value(a.PeakValue), md(labelString(a.Labels, alertLabelsSkip...)))
			}
		}
		for _, e := range b.RuleErrors {
			p.f("\n- Rule error: group `%s` rule `%s` at %s: %s\n", e.Group, e.Rule, stamp(e.At), md(e.Error))
		}
	}
	if n := d.Notifications; n != nil {
		p.f("\n## Alertmanager: notifications each receiver would have got\n\n")
		p.f("Configuration `%s`: %d notifications in all.\n\n", n.Config, totalNotifications(n))
		p.f("| Receiver | Notifications | Firing | Resolved only | Groups | Integrations |\n|---|---:|---:|---:|---:|---|\n")
		for _, r := range n.Receivers {
			integ := strings.Join(r.Integrations, ", ")
			if integ == "" {
				integ = "none (delivers nothing)"
			}
			p.f("| %s | %d | %d | %d | %d | %s |\n", md(r.Receiver), r.Notifications, r.Firing, r.Resolved, r.Groups, md(integ))
		}
		if len(n.Sent) > 0 {
			p.f("\n| At | Receiver | Reason | Firing | Resolved | Group |\n|---|---|---|---:|---:|---|\n")
			for _, s := range n.Sent {
				p.f("| %s | %s | %s | %d | %d | %s |\n", stamp(s.At), md(s.Receiver), s.Reason, s.Firing, s.Resolved,
					md(labelString(s.GroupLabels)))
			}
		}
		for _, in := range n.Inhibited {
			p.f("\n- Inhibited: %s%s at %d flushes\n", md(in.Name), md(labelString(in.Labels, alertLabelsSkip...)), in.Flushes)
		}
	}
	if p.err != nil {
		return p.err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

func mdCodes(p *textWriter, rows []CodeRow, meaning bool) {
	if len(rows) == 0 {
		p.f("None.\n")
		return
	}
	if meaning {
		p.f("| Error code | Count | Share | Logged as | Meaning | Recommended action | First seen | Last seen |\n")
		p.f("|---|---:|---:|---:|---|---|---|---|\n")
	} else {
		p.f("| Error code | Count | Share | Logged as | First seen | Last seen |\n|---|---:|---:|---|---|---|\n")
	}
	for _, r := range rows {
		var logged []string
		for _, s := range byName(r.ByStatus) {
			logged = append(logged, fmt.Sprintf("%s: %d", s.Name, s.Count))
		}
		if meaning {
			desc, action := r.Description, r.Action
			if !r.Known {
				desc, action = "not in the catalog", "-"
			}
			p.f("| `%s` | %d | %s | %s | %s | %s | %s | %s |\n", r.ErrorCode, r.Count, percent(r.Share),
				md(strings.Join(logged, ", ")), md(desc), md(action), stampPtr(r.FirstSeen), stampPtr(r.LastSeen))
			continue
		}
		p.f("| `%s` | %d | %s | %s | %s | %s |\n", r.ErrorCode, r.Count, percent(r.Share),
			md(strings.Join(logged, ", ")), stampPtr(r.FirstSeen), stampPtr(r.LastSeen))
	}
}

// md escapes text for a Markdown table cell.
func md(s string) string {
	r := strings.NewReplacer("|", `\|`, "\n", " ", "*", `\*`, "_", `\_`, "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}
