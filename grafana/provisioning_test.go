package grafana

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/secondme/secondme_error_exporter/grafana/builder"
)

// The provisioning file schemas, as far as we use them. Decoding is
// strict: a misspelt key is silently ignored by Grafana, so it fails here.
type datasourcesFile struct {
	APIVersion  int `yaml:"apiVersion"`
	Datasources []struct {
		Name      string         `yaml:"name"`
		UID       string         `yaml:"uid"`
		Type      string         `yaml:"type"`
		Access    string         `yaml:"access"`
		URL       string         `yaml:"url"`
		IsDefault bool           `yaml:"isDefault"`
		Editable  bool           `yaml:"editable"`
		JSONData  map[string]any `yaml:"jsonData"`
	} `yaml:"datasources"`
}

type dashboardsFile struct {
	APIVersion int `yaml:"apiVersion"`
	Providers  []struct {
		Name                  string `yaml:"name"`
		OrgID                 int    `yaml:"orgId"`
		Folder                string `yaml:"folder"`
		FolderUID             string `yaml:"folderUid"`
		Type                  string `yaml:"type"`
		DisableDeletion       bool   `yaml:"disableDeletion"`
		AllowUIUpdates        bool   `yaml:"allowUiUpdates"`
		UpdateIntervalSeconds int    `yaml:"updateIntervalSeconds"`
		Options               struct {
			Path                      string `yaml:"path"`
			FoldersFromFilesStructure bool   `yaml:"foldersFromFilesStructure"`
		} `yaml:"options"`
	} `yaml:"providers"`
}

func decodeStrict(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// DashboardsMountPath is where the compose stack mounts grafana/dashboards.
const dashboardsMountPath = "/var/lib/grafana/dashboards"

func TestProvisioningDatasource(t *testing.T) {
	var f datasourcesFile
	decodeStrict(t, filepath.Join("provisioning", "datasources", "prometheus.yml"), &f)
	if f.APIVersion != 1 || len(f.Datasources) != 1 {
		t.Fatalf("apiVersion %d with %d data sources, want 1 and 1", f.APIVersion, len(f.Datasources))
	}
	ds := f.Datasources[0]
	if ds.UID != builder.DefaultDatasourceUID || ds.Type != "prometheus" || ds.URL != "http://prometheus:9090" || ds.Access != "proxy" || !ds.IsDefault {
		t.Errorf("data source %+v: want uid %q, type prometheus, url http://prometheus:9090, access proxy, default", ds, builder.DefaultDatasourceUID)
	}
	// $__rate_interval is max(4 × timeInterval, interval + timeInterval):
	// without it Grafana assumes 15s, which must then match the scrape.
	if ds.JSONData["timeInterval"] == nil {
		t.Error("jsonData.timeInterval (the scrape interval) is not set")
	}

	// The dashboards preselect exactly this data source in ${datasource}.
	for _, l := range loadDashboards(t) {
		found := false
		for _, v := range l.raw["templating"].(map[string]any)["list"].([]any) {
			v := v.(map[string]any)
			if v["type"] != "datasource" {
				continue
			}
			found = true
			current, _ := v["current"].(map[string]any)
			if current == nil || current["value"] != builder.DefaultDatasourceUID {
				t.Errorf("%s: ${datasource} defaults to %v, want the provisioned uid %q", l.file, current, builder.DefaultDatasourceUID)
			}
		}
		if !found {
			t.Errorf("%s: no datasource variable", l.file)
		}
	}
}

func TestProvisioningDashboards(t *testing.T) {
	var f dashboardsFile
	decodeStrict(t, filepath.Join("provisioning", "dashboards", "secondme.yml"), &f)
	if f.APIVersion != 1 || len(f.Providers) != 1 {
		t.Fatalf("apiVersion %d with %d providers, want 1 and 1", f.APIVersion, len(f.Providers))
	}
	p := f.Providers[0]
	if p.Type != "file" || p.Options.Path != dashboardsMountPath {
		t.Errorf("provider %+v: want type file with path %s", p, dashboardsMountPath)
	}
	if p.AllowUIUpdates {
		t.Error("allowUiUpdates: the JSON is generated; UI edits would be overwritten at the next provisioning pass")
	}
	if p.Folder == "" || p.Name == "" {
		t.Error("provider needs a name and a folder")
	}
}
