package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteText writes the terminal report: aligned tables, bars, and the
// timeline with its spikes marked.
func WriteText(w io.Writer, d *Document) error {
	bw := bufio.NewWriter(w)
	p := &textWriter{w: bw}
	p.header(d)
	p.totals(d)
	p.codes("TOP ERROR CODES", d.TopErrorCodes, true)
	p.codes("UNKNOWN ERROR CODES (not in the catalog)", d.UnknownCodes, false)
	p.mismatches(d)
	p.timeline(d)
	if d.Backtest != nil {
		p.backtest(d.Backtest)
	}
	if d.Notifications != nil {
		p.notifications(d.Notifications)
	}
	if p.err != nil {
		return p.err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

type textWriter struct {
	w   io.Writer
	err error
}

func (p *textWriter) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func (p *textWriter) table(write func(tw *tabwriter.Writer)) {
	if p.err != nil {
		return
	}
	tw := tabwriter.NewWriter(p.w, 0, 0, 2, ' ', 0)
	write(tw)
	p.err = tw.Flush()
}

func (p *textWriter) section(title string) {
	p.f("\n%s\n%s\n", title, strings.Repeat("-", len([]rune(title))))
}

func (p *textWriter) header(d *Document) {
	p.f("SecondMe error analysis, source %q\n", d.Source)
	for _, in := range d.Inputs {
		p.f("  input       %s (%s read, %d records%s)\n", in.Name, humanBytes(in.BytesRead), in.Records, unterminated(in))
	}
	p.f("  records     %d (%s)\n", d.Records, humanBytes(d.Bytes))
	p.f("  envelopes   %s\n", envelopeLine(d))
	p.f("  time        %s\n", timeLine(d))
}

func (p *textWriter) totals(d *Document) {
	p.section("ERRORS BY MODULE, RESOURCE AND STATUS CLASS")
	total := d.Envelopes.Errors
	p.table(func(tw *tabwriter.Writer) {
		fmt.Fprintln(tw, "MODULE\tERRORS\tSHARE\t")
		for _, r := range byCount(d.ByModule) {
			fmt.Fprintf(tw, "%s\t%d\t%s\t\n", r.Name, r.Count, share(r.Count, total))
		}
	})
	p.f("\n")
	p.table(func(tw *tabwriter.Writer) {
		fmt.Fprintln(tw, "RESOURCE\tERRORS\tSHARE\t")
		for _, r := range byCount(d.ByResource) {
			fmt.Fprintf(tw, "%s\t%d\t%s\t\n", r.Name, r.Count, share(r.Count, total))
		}
	})
	p.f("\n")
	p.table(func(tw *tabwriter.Writer) {
		fmt.Fprintln(tw, "STATUS CLASS\tERRORS\tALL RESPONSES\t")
		classes := map[string]bool{}
		for k := range d.ByStatusClass {
			classes[k] = true
		}
		for k := range d.ResponsesByStatusClass {
			classes[k] = true
		}
		for _, c := range byName(boolKeys(classes)) {
			fmt.Fprintf(tw, "%s\t%d\t%d\t\n", c.Name, d.ByStatusClass[c.Name], d.ResponsesByStatusClass[c.Name])
		}
	})
}

func boolKeys(m map[string]bool) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k := range m {
		out[k] = 0
	}
	return out
}

func share(n, total int64) string {
	if total == 0 {
		return "-"
	}
	return percent(float64(n) / float64(total))
}

func (p *textWriter) codes(title string, rows []CodeRow, meaning bool) {
	p.section(title)
	if len(rows) == 0 {
		p.f("none\n")
		return
	}
	p.table(func(tw *tabwriter.Writer) {
		fmt.Fprintln(tw, "ERROR CODE\tCOUNT\tSHARE\tSTATUS\tLOGGED AS\tFIRST SEEN\tLAST SEEN\t")
		for _, r := range rows {
			expected := "?"
			if r.ExpectedStatus != 0 {
				expected = fmt.Sprint(r.ExpectedStatus)
			}
			var logged []string
			for _, s := range byName(r.ByStatus) {
				logged = append(logged, fmt.Sprintf("%s:%d", s.Name, s.Count))
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t\n", r.ErrorCode, r.Count, percent(r.Share), expected,
				strings.Join(logged, " "), stampPtr(r.FirstSeen), stampPtr(r.LastSeen))
		}
	})
	if !meaning {
		return
	}
	p.f("\nMeaning and recommended action:\n")
	for _, r := range rows {
		if !r.Known {
			p.f("  %s: not in the catalog\n", r.ErrorCode)
			continue
		}
		p.f("  %s: %s\n      -> %s\n", r.ErrorCode, r.Description, r.Action)
	}
}

func (p *textWriter) mismatches(d *Document) {
	p.section("STATUS MISMATCHES (logged HTTP status differs from the catalog's)")
	if len(d.StatusMismatches) == 0 {
		p.f("none\n")
		return
	}
	p.table(func(tw *tabwriter.Writer) {
		fmt.Fprintln(tw, "ERROR CODE\tLOGGED\tCATALOG\tCOUNT\t")
		for _, m := range d.StatusMismatches {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t\n", m.ErrorCode, m.Code, m.ExpectedCode, m.Count)
		}
	})
}

func (p *textWriter) timeline(d *Document) {
	p.section("TIMELINE")
	tl := d.Timeline
	if len(tl.Buckets) == 0 {
		p.f("no timed envelopes\n")
		return
	}
	p.f("%s; errors per bucket, SPIKE marks the rule's hits\n\n", spikeRuleLine(d))
	var peak int64
	for _, b := range tl.Buckets {
		peak = max(peak, b.Errors)
	}
	p.table(func(tw *tabwriter.Writer) {
		fmt.Fprintln(tw, "TIME\tERRORS\tRESPONSES\t\t")
		for _, b := range tl.Buckets {
			mark := ""
			if b.Spike {
				mark = "  SPIKE " + strings.Join(b.SpikeCodes, " ")
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s%s\t\n", clock(d, b.Start), b.Errors, b.Responses, bar(b.Errors, peak, 40), mark)
		}
	})
	if len(tl.Spikes) > 0 {
		p.f("\nSpikes:\n")
		for _, s := range tl.Spikes {
			p.f("  %s  %s  %d (baseline %g)\n", stamp(s.Start), s.ErrorCode, s.Count, s.Baseline)
		}
	}
}

func (p *textWriter) backtest(b *Backtest) {
	p.section("BACKTEST: ALERTS THAT WOULD HAVE FIRED")
	p.f("rules %s; scrape every %s, evaluate every %s; %s .. %s; %d evaluations over %d series\n",
		strings.Join(b.RuleFiles, ", "), durationString(b.ScrapeIntervalSeconds),
		durationString(b.EvaluationIntervalSeconds), stamp(b.Start), stamp(b.End), b.Evaluations, b.Series)
	if len(b.Alerts) == 0 {
		p.f("\nno alert fired\n")
	} else {
		p.f("\n")
		p.table(func(tw *tabwriter.Writer) {
			fmt.Fprintln(tw, "ALERT\tSTART\tEND\tDURATION\tPEAK\tLABELS\t")
			for _, a := range b.Alerts {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", a.Name, stamp(a.Start), alertEnd(a),
					durationString(a.DurationSeconds), value(a.PeakValue), labelString(a.Labels, alertLabelsSkip...))
			}
		})
	}
	for _, e := range b.RuleErrors {
		p.f("rule error: group %s rule %s at %s: %s\n", e.Group, e.Rule, stamp(e.At), e.Error)
	}
}

func (p *textWriter) notifications(n *Notifications) {
	p.section("ALERTMANAGER: NOTIFICATIONS EACH RECEIVER WOULD HAVE GOT")
	p.f("config %s; %d notifications in all\n\n", n.Config, totalNotifications(n))
	p.table(func(tw *tabwriter.Writer) {
		fmt.Fprintln(tw, "RECEIVER\tNOTIFICATIONS\tFIRING\tRESOLVED-ONLY\tGROUPS\tINTEGRATIONS\t")
		for _, r := range n.Receivers {
			integ := strings.Join(r.Integrations, " ")
			if integ == "" {
				integ = "(none: delivers nothing)"
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t\n", r.Receiver, r.Notifications, r.Firing, r.Resolved, r.Groups, integ)
		}
	})
	if len(n.Sent) > 0 {
		p.f("\n")
		p.table(func(tw *tabwriter.Writer) {
			fmt.Fprintln(tw, "AT\tRECEIVER\tREASON\tFIRING\tRESOLVED\tGROUP\t")
			for _, s := range n.Sent {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\t\n", stamp(s.At), s.Receiver, s.Reason, s.Firing, s.Resolved,
					labelString(s.GroupLabels))
			}
		})
	}
	for _, in := range n.Inhibited {
		p.f("inhibited: %s%s at %d flushes\n", in.Name, labelString(in.Labels, alertLabelsSkip...), in.Flushes)
	}
}
