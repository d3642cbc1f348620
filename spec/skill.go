package spec

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Skill is one skill of a skill adapter (type skill, SPEC.md §11.4): a
// catalogue entry that describes tools of sibling adapters or instruction
// files, and executes nothing.
type Skill struct {
	Name        string
	Description string
	License     string
	// Compatibility, ArgumentHint and AllowedTools are agent-skill metadata
	// passed through to the detail ("" when absent).
	Compatibility string
	ArgumentHint  string
	AllowedTools  string
	// UserInvocable and DisableModelInvocation are nil when absent.
	UserInvocable          *bool
	DisableModelInvocation *bool
	// Metadata is the `metadata` string map, in document order.
	MetadataKeys []string
	Metadata     map[string]string
	// Location is the file:// directory of the skill's files ("" when
	// absent).
	Location string
	Tools    []*SkillTool
	Pos      Pos
}

// SkillTool is a tool a skill lists: derived from a sibling rest or mcp
// adapter (From) or an instruction file of the skill's location.
type SkillTool struct {
	Name        string
	Description string
	// From is set for a derived tool.
	From *SkillFrom
	// Instruction is the instruction file, for an instruction tool.
	Instruction string
	Pos         Pos
}

// SkillFrom names the adapter (SourceNamespace) and the tool or operation
// (Action) a derived skill tool stands for.
type SkillFrom struct {
	SourceNamespace string
	Action          string
}

var (
	fieldsSkill = []string{"name", "description", "license", "compatibility", "metadata", "allowed-tools",
		"argument-hint", "user-invocable", "disable-model-invocation", "location", "tools", "label", "display"}
	fieldsSkillTool = []string{"name", "description", "from", "instruction", "label", "display"}
	fieldsSkillFrom = []string{"sourceNamespace", "action"}
)

// skillAdapter reads the skills of a skill adapter. Errors (a tool with
// both or neither of from and instruction, an instruction without a
// location) are adapter errors: the adapter is not served.
func (l *loader) skillAdapter(x *Expose, fs fieldSet) {
	for _, it := range l.items(fs.get("skills"), "skills") {
		d, pos, ok := l.entry(it, "a skill")
		if !ok {
			continue
		}
		sk := &Skill{Pos: pos}
		sfs := l.named(it, d, &sk.Name, "skill", "skill", fieldsSkill)
		sk.Description, sk.License = l.text(sfs, "description"), l.text(sfs, "license")
		sk.Compatibility, sk.ArgumentHint = l.text(sfs, "compatibility"), l.text(sfs, "argument-hint")
		sk.AllowedTools, sk.Location = l.text(sfs, "allowed-tools"), l.text(sfs, "location")
		sk.UserInvocable = l.optBool(sfs, "user-invocable")
		sk.DisableModelInvocation = l.optBool(sfs, "disable-model-invocation")
		if v := deref(sfs.get("metadata")); v != nil && v.Kind == yaml.MappingNode {
			sk.Metadata = map[string]string{}
			mps := pairs(v)
			for i := 0; i+1 < len(mps); i += 2 {
				k, _ := keyText(mps[i])
				sk.MetadataKeys = append(sk.MetadataKeys, k)
				sk.Metadata[k] = l.str(mps[i+1], k)
			}
		}
		for _, ti := range l.items(sfs.get("tools"), "tools") {
			if t := l.skillTool(sk, ti); t != nil {
				sk.Tools = append(sk.Tools, t)
			}
		}
		x.Skills = append(x.Skills, sk)
	}
}

func (l *loader) skillTool(sk *Skill, it item) *SkillTool {
	d, pos, ok := l.entry(it, "a skill tool")
	if !ok {
		return nil
	}
	t := &SkillTool{Pos: pos}
	tfs := l.named(it, d, &t.Name, "skill tool", "skill tool", fieldsSkillTool)
	t.Description = l.text(tfs, "description")
	if v := tfs.get("instruction"); v != nil {
		t.Instruction = strings.TrimSpace(l.str(v, "instruction"))
	}
	if v := deref(tfs.get("from")); v != nil && v.Kind == yaml.MappingNode {
		ffs := l.fields(v, "skill tool `from`", fieldsSkillFrom)
		t.From = &SkillFrom{}
		if s := ffs.get("sourceNamespace"); s != nil {
			t.From.SourceNamespace = strings.TrimSpace(l.str(s, "sourceNamespace"))
		}
		if s := ffs.get("action"); s != nil {
			t.From.Action = strings.TrimSpace(l.str(s, "action"))
		}
	}
	what := fmt.Sprintf("skill tool `%s` of skill `%s`", t.Name, sk.Name)
	switch {
	case t.From == nil && t.Instruction == "":
		l.elemErrorAt(t.Pos, "skill-tool-invalid", what+" must define either `from` or `instruction`", "")
	case t.From != nil && t.Instruction != "":
		l.elemErrorAt(t.Pos, "skill-tool-invalid", what+" cannot define both `from` and `instruction`", "")
	case t.Instruction != "" && sk.Location == "":
		l.elemErrorAt(t.Pos, "skill-tool-invalid", what+" uses `instruction` but the skill has no `location`",
			"add `location: file:///./skills/"+sk.Name+"`")
	}
	return t
}

// linkSkills checks that every derived skill tool names a rest or mcp
// adapter of the document (SPEC.md §11.4).
func (l *loader) linkSkills(c *Capability) {
	modes := map[string]bool{}
	var names []string
	for _, x := range c.Exposes {
		if x.Type == "rest" || x.Type == "mcp" {
			modes[x.Namespace] = true
			names = append(names, x.Namespace)
		}
	}
	for _, x := range c.Exposes {
		for _, sk := range x.Skills {
			for _, t := range sk.Tools {
				if t.From == nil || modes[t.From.SourceNamespace] {
					continue
				}
				l.errorInto(&x.Errors, Diagnostic{Pos: t.Pos, Rule: "skill-tool-invalid",
					Message: fmt.Sprintf("skill tool `%s` of skill `%s` references unknown namespace `%s`; expected one of: %s",
						t.Name, sk.Name, t.From.SourceNamespace, strings.Join(names, ", "))})
			}
		}
	}
}

// SkillMode is how a derived skill tool is invoked: "rest" or "mcp" after
// the type of the adapter namespace ns, "unknown" when none has it.
func (c *Capability) SkillMode(ns string) string {
	for _, x := range c.Exposes {
		if x.Namespace == ns && (x.Type == "rest" || x.Type == "mcp") {
			return x.Type
		}
	}
	return "unknown"
}
