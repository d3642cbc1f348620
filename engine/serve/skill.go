package serve

import (
	"archive/zip"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path/filepath"

	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/jsonv"
)

// newSkill serves a skill adapter (SPEC.md §11.4), the read-only catalogue
// agents discover tools from:
//
//	GET /skills                          {count, skills: [{name, description, license?, tools: [names]}]}
//	GET /skills/{name}                   the skill, its metadata and tools (derived: invocationRef {targetNamespace, action, mode})
//	GET /skills/{name}/contents          {name, files: [{path, size, type}]} of the skill's location
//	GET /skills/{name}/contents/{file…}  one file of the location (safe-path rules of §11.3)
//	GET /skills/{name}/download          the location as a zip archive
//
// An unknown skill, or a skill without a usable location for the last
// three, answers 404. Nothing is executed.
func (s *Server) newSkill(x *spec.Expose) http.Handler {
	byName := map[string]*spec.Skill{}
	for _, sk := range x.Skills {
		if _, dup := byName[sk.Name]; !dup {
			byName[sk.Name] = sk
		}
	}
	skill := func(w http.ResponseWriter, r *http.Request) *spec.Skill {
		sk := byName[r.PathValue("name")]
		if sk == nil {
			writeJSON(w, http.StatusNotFound, errorBody("not_found", "Skill not found: "+r.PathValue("name"), "GET /skills lists the skills"))
		}
		return sk
	}
	location := func(w http.ResponseWriter, r *http.Request) (*spec.Skill, string) {
		sk := skill(w, r)
		if sk == nil {
			return nil, ""
		}
		if sk.Location == "" {
			writeJSON(w, http.StatusNotFound, errorBody("not_found", "No location configured for skill: "+sk.Name, ""))
			return nil, ""
		}
		dir, err := s.staticDir(sk.Location)
		if err != nil {
			writeJSON(w, http.StatusNotFound, errorBody("not_found", "Location directory not found for skill: "+sk.Name, ""))
			return nil, ""
		}
		return sk, dir
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /skills", func(w http.ResponseWriter, r *http.Request) {
		list := make([]any, 0, len(x.Skills))
		for _, sk := range x.Skills {
			e := &jsonv.Object{}
			e.Set("name", sk.Name)
			e.Set("description", sk.Description)
			if sk.License != "" {
				e.Set("license", sk.License)
			}
			names := make([]any, 0, len(sk.Tools))
			for _, t := range sk.Tools {
				names = append(names, t.Name)
			}
			e.Set("tools", names)
			list = append(list, e)
		}
		o := &jsonv.Object{}
		o.Set("count", int64(len(list)))
		o.Set("skills", list)
		writeJSON(w, http.StatusOK, o)
	})
	mux.HandleFunc("GET /skills/{name}", func(w http.ResponseWriter, r *http.Request) {
		if sk := skill(w, r); sk != nil {
			writeJSON(w, http.StatusOK, s.skillDetail(sk))
		}
	})
	mux.HandleFunc("GET /skills/{name}/contents", func(w http.ResponseWriter, r *http.Request) {
		sk, dir := location(w, r)
		if sk == nil {
			return
		}
		files := []any{}
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() || len(files) >= 1000 {
				return nil
			}
			fi, err := d.Info()
			if err != nil {
				return nil
			}
			rel, _ := filepath.Rel(dir, p)
			e := &jsonv.Object{}
			e.Set("path", filepath.ToSlash(rel))
			e.Set("size", fi.Size())
			e.Set("type", mediaType(p))
			files = append(files, e)
			return nil
		})
		o := &jsonv.Object{}
		o.Set("name", sk.Name)
		o.Set("files", files)
		writeJSON(w, http.StatusOK, o)
	})
	mux.HandleFunc("GET /skills/{name}/contents/{file...}", func(w http.ResponseWriter, r *http.Request) {
		sk, dir := location(w, r)
		if sk == nil {
			return
		}
		p, _, ok := safeFile(dir, r.PathValue("file"))
		if !ok {
			writeJSON(w, http.StatusNotFound, errorBody("not_found", "File not found: "+r.PathValue("file"), ""))
			return
		}
		f, err := os.Open(p)
		if err != nil {
			writeJSON(w, http.StatusNotFound, errorBody("not_found", "File not found: "+r.PathValue("file"), ""))
			return
		}
		defer f.Close()
		w.Header().Set("Content-Type", mediaType(p))
		io.Copy(w, f)
	})
	mux.HandleFunc("GET /skills/{name}/download", func(w http.ResponseWriter, r *http.Request) {
		sk, dir := location(w, r)
		if sk == nil {
			return
		}
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Content-Disposition", `attachment; filename="`+sk.Name+`.zip"`)
		zw := zip.NewWriter(w)
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return nil
			}
			rel, _ := filepath.Rel(dir, p)
			f, err := os.Open(p)
			if err != nil {
				return nil
			}
			defer f.Close()
			if zf, err := zw.Create(filepath.ToSlash(rel)); err == nil {
				io.Copy(zf, f)
			}
			return nil
		})
		zw.Close()
	})
	return s.traceSkill(mux)
}

// skillDetail is the body of GET /skills/{name}.
func (s *Server) skillDetail(sk *spec.Skill) *jsonv.Object {
	o := &jsonv.Object{}
	o.Set("name", sk.Name)
	o.Set("description", sk.Description)
	for _, kv := range [][2]string{{"license", sk.License}, {"compatibility", sk.Compatibility},
		{"argument-hint", sk.ArgumentHint}, {"allowed-tools", sk.AllowedTools}} {
		if kv[1] != "" {
			o.Set(kv[0], kv[1])
		}
	}
	if sk.UserInvocable != nil {
		o.Set("user-invocable", *sk.UserInvocable)
	}
	if sk.DisableModelInvocation != nil {
		o.Set("disable-model-invocation", *sk.DisableModelInvocation)
	}
	if len(sk.MetadataKeys) > 0 {
		m := &jsonv.Object{}
		for _, k := range sk.MetadataKeys {
			m.Set(k, sk.Metadata[k])
		}
		o.Set("metadata", m)
	}
	tools := make([]any, 0, len(sk.Tools))
	for _, t := range sk.Tools {
		e := &jsonv.Object{}
		e.Set("name", t.Name)
		e.Set("description", t.Description)
		switch {
		case t.From != nil:
			e.Set("type", "derived")
			ref := &jsonv.Object{}
			ref.Set("targetNamespace", t.From.SourceNamespace)
			ref.Set("action", t.From.Action)
			ref.Set("mode", s.cap.SkillMode(t.From.SourceNamespace))
			e.Set("invocationRef", ref)
		case t.Instruction != "":
			e.Set("type", "instruction")
			e.Set("instruction", t.Instruction)
		}
		tools = append(tools, e)
	}
	o.Set("tools", tools)
	return o
}

// mediaType is the content type of a skill file, from its extension.
func mediaType(p string) string {
	if t := mime.TypeByExtension(filepath.Ext(p)); t != "" {
		return t
	}
	return "application/octet-stream"
}
