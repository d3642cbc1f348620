package deploy

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"

	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/schema"
)

const dir = "kubernetes"

// manifests holds the decoded objects of deploy/kubernetes.
type manifests struct {
	cm     corev1.ConfigMap
	secret corev1.Secret
	deploy appsv1.Deployment
	svc    corev1.Service
	hpa    autoscalingv2.HorizontalPodAutoscaler
	pdb    policyv1.PodDisruptionBudget
}

// kustomization is the part of a Kustomization the manifests use; any
// other field fails the strict decoding.
type kustomization struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Resources  []string `json:"resources"`
}

// strict reads dir/name, strict-decodes it into obj (unknown and
// duplicate fields fail) and checks its apiVersion and kind.
func strict(t *testing.T, name string, obj any, tm *metav1.TypeMeta, apiVersion, kind string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "\n---") {
		t.Fatalf("%s: holds several documents; keep one object per file", name)
	}
	if err := yaml.UnmarshalStrict(data, obj); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if tm.APIVersion != apiVersion || tm.Kind != kind {
		t.Fatalf("%s: is %s %s, want %s %s", name, tm.APIVersion, tm.Kind, apiVersion, kind)
	}
}

func load(t *testing.T) *manifests {
	t.Helper()
	m := &manifests{}
	strict(t, "configmap.yaml", &m.cm, &m.cm.TypeMeta, "v1", "ConfigMap")
	strict(t, "secret.yaml", &m.secret, &m.secret.TypeMeta, "v1", "Secret")
	strict(t, "deployment.yaml", &m.deploy, &m.deploy.TypeMeta, "apps/v1", "Deployment")
	strict(t, "service.yaml", &m.svc, &m.svc.TypeMeta, "v1", "Service")
	strict(t, "hpa.yaml", &m.hpa, &m.hpa.TypeMeta, "autoscaling/v2", "HorizontalPodAutoscaler")
	strict(t, "pdb.yaml", &m.pdb, &m.pdb.TypeMeta, "policy/v1", "PodDisruptionBudget")
	return m
}

// TestKustomizationListsEveryManifest: kubectl apply -k applies every file.
func TestKustomizationListsEveryManifest(t *testing.T) {
	var k kustomization
	data, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict(data, &k); err != nil {
		t.Fatalf("kustomization.yaml: %v", err)
	}
	if k.APIVersion != "kustomize.config.k8s.io/v1beta1" || k.Kind != "Kustomization" {
		t.Fatalf("kustomization.yaml: is %s %s", k.APIVersion, k.Kind)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range files {
		if b := filepath.Base(f); b != "kustomization.yaml" {
			want = append(want, b)
		}
	}
	got := slices.Sorted(slices.Values(k.Resources))
	if !slices.Equal(got, want) {
		t.Fatalf("kustomization.yaml resources = %v, want every manifest %v", got, want)
	}
	load(t) // and each of them decodes
}

// capability loads the document the ConfigMap holds and fails on any
// diagnostic `naftiko validate --strict` would print.
func capability(t *testing.T, m *manifests) *spec.Capability {
	t.Helper()
	src, ok := m.cm.Data["capability.yaml"]
	if !ok {
		t.Fatalf("configmap.yaml: no key capability.yaml (the image serves /etc/naftiko/capability.yaml)")
	}
	for _, d := range schema.ValidateBytes([]byte(src), "capability.yaml", schema.ValidateOptions{Strict: true}) {
		if d.Severity != spec.SeverityInfo {
			t.Errorf("configmap.yaml capability: %s", d)
		}
	}
	c, err := spec.Parse([]byte(src), "capability.yaml")
	if err != nil {
		t.Fatalf("configmap.yaml capability: %v", err)
	}
	return c
}

// TestPortsMatchTheCapability: each exposed adapter listens on all
// interfaces on a port the container declares under the adapter's type,
// and the probes call the control adapter.
func TestPortsMatchTheCapability(t *testing.T) {
	m := load(t)
	c := capability(t, m)
	ctr := onlyContainer(t, m)
	ports := map[string]int32{}
	for _, p := range ctr.Ports {
		ports[p.Name] = p.ContainerPort
	}
	var control int
	for _, x := range c.Exposes {
		if x.Address != "0.0.0.0" {
			t.Errorf("capability: %s adapter listens on %q; in a pod it must listen on 0.0.0.0", x.Type, x.Address)
		}
		if got, ok := ports[x.Type]; !ok || int(got) != x.Port {
			t.Errorf("deployment.yaml: container port %q = %d, want the %s adapter's port %d", x.Type, got, x.Type, x.Port)
		}
		if x.Type == "control" {
			control = x.Port
		}
	}
	if control == 0 {
		t.Fatal("capability: no control adapter; the probes need one")
	}
	for _, pr := range []struct {
		name string
		p    *corev1.Probe
		path string
	}{{"livenessProbe", ctr.LivenessProbe, "/health/live"}, {"readinessProbe", ctr.ReadinessProbe, "/health/ready"}} {
		if pr.p == nil || pr.p.HTTPGet == nil {
			t.Errorf("deployment.yaml: no HTTP %s", pr.name)
			continue
		}
		if pr.p.HTTPGet.Path != pr.path || pr.p.HTTPGet.Port != intstr.FromString("control") {
			t.Errorf("deployment.yaml: %s calls %s on port %s, want %s on port control", pr.name, pr.p.HTTPGet.Path, pr.p.HTTPGet.Port.String(), pr.path)
		}
	}
	ann := m.deploy.Spec.Template.Annotations
	if ann["prometheus.io/port"] != strconv.Itoa(control) || ann["prometheus.io/path"] != "/metrics" {
		t.Errorf("deployment.yaml: prometheus.io annotations %v do not point at the control adapter's /metrics", ann)
	}
}

func onlyContainer(t *testing.T, m *manifests) corev1.Container {
	t.Helper()
	cs := m.deploy.Spec.Template.Spec.Containers
	if len(cs) != 1 {
		t.Fatalf("deployment.yaml: %d containers, want 1", len(cs))
	}
	return cs[0]
}

// TestSecretsReachTheEnvironment: every variable the capability binds from
// the environment comes from the Secret, whose key exists.
func TestSecretsReachTheEnvironment(t *testing.T) {
	m := load(t)
	c := capability(t, m)
	ctr := onlyContainer(t, m)
	env := map[string]corev1.EnvVar{}
	for _, e := range ctr.Env {
		env[e.Name] = e
	}
	n := 0
	for _, b := range c.Binds {
		if b.Location != "" {
			continue
		}
		for _, k := range b.Keys {
			n++
			e, ok := env[k.Key]
			switch {
			case !ok:
				t.Errorf("deployment.yaml: the capability binds %s but the container has no such variable", k.Key)
			case e.Value != "" || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil:
				t.Errorf("deployment.yaml: %s is not taken from a Secret", k.Key)
			case e.ValueFrom.SecretKeyRef.Name != m.secret.Name:
				t.Errorf("deployment.yaml: %s comes from Secret %q, want %q", k.Key, e.ValueFrom.SecretKeyRef.Name, m.secret.Name)
			default:
				if _, ok := m.secret.StringData[e.ValueFrom.SecretKeyRef.Key]; !ok {
					t.Errorf("secret.yaml: no key %q for %s", e.ValueFrom.SecretKeyRef.Key, k.Key)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("capability: binds no variable; the Secret serves nothing")
	}
}

// TestImageContract: the pod mounts the capability where the image's
// default command reads it, runs as the image's user, and the image has no
// HEALTHCHECK (the probes replace it).
func TestImageContract(t *testing.T) {
	m := load(t)
	ctr := onlyContainer(t, m)
	df := dockerfile(t)
	var cmd, user string
	for _, l := range df {
		switch {
		case strings.HasPrefix(l, "HEALTHCHECK"):
			t.Errorf("Dockerfile: %s; the control adapter's probes replace it", l)
		case strings.HasPrefix(l, "USER "):
			user = strings.TrimPrefix(l, "USER ")
		case strings.HasPrefix(l, "CMD "):
			cmd = strings.TrimPrefix(l, "CMD ")
		}
	}
	if len(ctr.Command) > 0 || len(ctr.Args) > 0 {
		t.Errorf("deployment.yaml: overrides the image's command; the mount path check below assumes it does not")
	}
	if !strings.Contains(cmd, `"/etc/naftiko/capability.yaml"`) {
		t.Fatalf("Dockerfile: CMD %s does not serve /etc/naftiko/capability.yaml", cmd)
	}
	if len(ctr.VolumeMounts) != 1 || ctr.VolumeMounts[0].MountPath != "/etc/naftiko" {
		t.Fatalf("deployment.yaml: volume mounts %+v, want the capability at /etc/naftiko", ctr.VolumeMounts)
	}
	vols := m.deploy.Spec.Template.Spec.Volumes
	if len(vols) != 1 || vols[0].Name != ctr.VolumeMounts[0].Name || vols[0].ConfigMap == nil || vols[0].ConfigMap.Name != m.cm.Name {
		t.Fatalf("deployment.yaml: the mounted volume is not ConfigMap %q", m.cm.Name)
	}
	sc := m.deploy.Spec.Template.Spec.SecurityContext
	if sc == nil || sc.RunAsUser == nil || sc.RunAsGroup == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot ||
		user != strconv.FormatInt(*sc.RunAsUser, 10)+":"+strconv.FormatInt(*sc.RunAsGroup, 10) {
		t.Errorf("deployment.yaml: pod security context does not run as the image's USER %s", user)
	}
	csc := ctr.SecurityContext
	if csc == nil || csc.ReadOnlyRootFilesystem == nil || !*csc.ReadOnlyRootFilesystem ||
		csc.AllowPrivilegeEscalation == nil || *csc.AllowPrivilegeEscalation ||
		csc.Capabilities == nil || !slices.Equal(csc.Capabilities.Drop, []corev1.Capability{"ALL"}) {
		t.Errorf("deployment.yaml: the container is not read-only, unprivileged and without capabilities")
	}
}

// dockerfile returns the instructions of ../Dockerfile, continuation lines
// joined, comments dropped.
func dockerfile(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	var cur strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(l, "#") || (l == "" && cur.Len() == 0) {
			continue
		}
		if s, ok := strings.CutSuffix(l, `\`); ok {
			cur.WriteString(s + " ")
			continue
		}
		cur.WriteString(l)
		out = append(out, cur.String())
		cur.Reset()
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestServiceAutoscalerAndBudgetSelectThePods: the Service, the HPA and
// the PodDisruptionBudget all reach the Deployment's pods, and the HPA's
// CPU target has a CPU request to be a percentage of.
func TestServiceAutoscalerAndBudgetSelectThePods(t *testing.T) {
	m := load(t)
	ctr := onlyContainer(t, m)
	pod := m.deploy.Spec.Template.Labels
	sel, err := metav1.LabelSelectorAsMap(m.deploy.Spec.Selector)
	if err != nil {
		t.Fatal(err)
	}
	matches := func(what string, s map[string]string) {
		if len(s) == 0 {
			t.Errorf("%s: empty selector", what)
		}
		for k, v := range s {
			if pod[k] != v {
				t.Errorf("%s: selector %s=%s does not match the pod labels %v", what, k, v, pod)
			}
		}
	}
	matches("deployment.yaml", sel)
	matches("service.yaml", m.svc.Spec.Selector)
	pdb, err := metav1.LabelSelectorAsMap(m.pdb.Spec.Selector)
	if err != nil {
		t.Fatal(err)
	}
	matches("pdb.yaml", pdb)

	named := map[string]bool{}
	for _, p := range ctr.Ports {
		named[p.Name] = true
	}
	for _, p := range m.svc.Spec.Ports {
		if p.TargetPort.Type != intstr.String || !named[p.TargetPort.StrVal] {
			t.Errorf("service.yaml: port %s targets %s, not a named container port", p.Name, p.TargetPort.String())
		}
	}

	ref := m.hpa.Spec.ScaleTargetRef
	if ref.APIVersion != "apps/v1" || ref.Kind != "Deployment" || ref.Name != m.deploy.Name {
		t.Errorf("hpa.yaml: scales %s %s %s, want apps/v1 Deployment %s", ref.APIVersion, ref.Kind, ref.Name, m.deploy.Name)
	}
	if m.hpa.Spec.MinReplicas == nil || *m.hpa.Spec.MinReplicas < 2 || m.hpa.Spec.MaxReplicas < *m.hpa.Spec.MinReplicas {
		t.Errorf("hpa.yaml: replicas %v..%d, want at least 2 and max >= min", m.hpa.Spec.MinReplicas, m.hpa.Spec.MaxReplicas)
	}
	for _, mt := range m.hpa.Spec.Metrics {
		if mt.Resource != nil && mt.Resource.Name == corev1.ResourceCPU {
			if _, ok := ctr.Resources.Requests[corev1.ResourceCPU]; !ok {
				t.Errorf("deployment.yaml: no CPU request; the HPA's CPU utilization target needs one")
			}
		}
	}
}
