package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// testPKI is a throw-away CA and a server certificate for 127.0.0.1.
type testPKI struct {
	CAFile, CertFile, KeyFile string
	Pool                      *x509.CertPool
}

func newTestPKI(t *testing.T, dir string) testPKI {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "secondme e2e test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return testPKI{
		CAFile:   writeFile(t, dir, "ca.crt", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}))),
		CertFile: writeFile(t, dir, "server.crt", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))),
		KeyFile:  writeFile(t, dir, "server.key", string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))),
		Pool:     pool,
	}
}

// basicAuthTransport adds basic auth to every request.
type basicAuthTransport struct {
	user, pass string
	next       http.RoundTripper
}

func (b basicAuthTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.SetBasicAuth(b.user, b.pass)
	return b.next.RoundTrip(r)
}

// TestScenario5TLSBasicAuth: the exporter serves /metrics over TLS with basic auth from
// an exporter-toolkit web config file; Prometheus scrapes it with the CA and the
// password (up == 1, and the counters are exactly what was written), while a wrong
// password, no password and plain HTTP are all refused (up == 0).
func TestScenario5TLSBasicAuth(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pki := newTestPKI(t, dir)
	const user, pass = "prometheus", "e2e-s3cret"
	hash, err := bcrypt.GenerateFromPassword([]byte(pass), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	webCfg := writeFile(t, dir, "web.yml", fmt.Sprintf(`tls_server_config:
  cert_file: %s
  key_file: %s
basic_auth_users:
  %s: %q
`, pki.CertFile, pki.KeyFile, user, hash))

	logFile := filepath.Join(dir, "app.log")
	counts := writeDemo(t, logFile, demoRun{Seed: 5, Records: 2000})

	client := &http.Client{Timeout: 5 * time.Second, Transport: basicAuthTransport{user, pass,
		&http.Transport{TLSClientConfig: &tls.Config{RootCAs: pki.Pool}}}}
	exp := startExporter(t, client,
		"--tail.path="+logFile, "--tail.start=beginning", "--web.config.file="+webCfg)

	// Without credentials the exporter answers 401 itself.
	noAuth := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pki.Pool}}}
	resp, err := noAuth.Get("https://" + exp.addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /metrics without credentials: %s, want 401", resp.Status)
	}

	_, prom := startPrometheus(t, promConfig{Jobs: []scrapeJob{
		{Name: "secondme-tls", Target: exp.addr, Scheme: "https", CAFile: pki.CAFile, Username: user, Password: pass},
		{Name: "secondme-tls-wrong-password", Target: exp.addr, Scheme: "https", CAFile: pki.CAFile, Username: user, Password: "wrong"},
		{Name: "secondme-tls-no-auth", Target: exp.addr, Scheme: "https", CAFile: pki.CAFile},
		{Name: "secondme-plain-http", Target: exp.addr},
	}})

	want := map[string]float64{
		"secondme-tls": 1, "secondme-tls-wrong-password": 0, "secondme-tls-no-auth": 0, "secondme-plain-http": 0,
	}
	waitFor(t, "up of every scrape job", 30*time.Second, exp.proc, func() (bool, error) {
		got, err := prom.query("up", time.Time{})
		if err != nil {
			return false, err
		}
		seen := map[string]float64{}
		for _, s := range got {
			seen[s.Metric["job"]] = s.V
		}
		for job, v := range want {
			if sv, ok := seen[job]; !ok || sv != v {
				return false, fmt.Errorf("up = %v, want %v", seen, want)
			}
		}
		return true, nil
	})

	// The authenticated scrape carries the data, exactly.
	wantErrors := float64(counts.TotalErrors())
	waitFor(t, "error counters scraped over TLS", 30*time.Second, exp.proc, func() (bool, error) {
		v, err := prom.scalarOf(`sum(secondme_api_errors_total{job="secondme-tls"})`, time.Time{})
		if err != nil {
			return false, err
		}
		if v > wantErrors {
			t.Fatalf("scraped %v errors, more than the %v written", v, wantErrors)
		}
		return v == wantErrors, fmt.Errorf("%v of %v errors", v, wantErrors)
	})
}
