package spec

import (
	"os"
	"testing"
)

// largestCorpusFile is the biggest file of the shared corpus (1.8 MB,
// 46,000 lines, 1,158 operations).
const largestCorpusFile = "../../shared/corpus/microsoft-graph__microsoft-graph-drives-driveitem.yaml"

func benchLoad(b *testing.B, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skipf("%s: %v", path, err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data, path); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadClerk loads the seed capability.
func BenchmarkLoadClerk(b *testing.B) { benchLoad(b, seedFile) }

// BenchmarkLoadLargest loads the largest corpus file.
func BenchmarkLoadLargest(b *testing.B) { benchLoad(b, largestCorpusFile) }
