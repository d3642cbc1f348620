// Command mcpgo is an MCP client built on github.com/mark3labs/mcp-go: it
// connects to a server, prints the negotiated protocol version and the
// tools in the order the server lists them, calls one tool and prints its
// result as JSON. engine/serve's TestMCPGoClient runs it with "go run"
// (this nested module keeps mcp-go out of naftiko's own go.mod).
//
//	mcpgo [-version V] http URL TOOL ARGS_JSON
//	mcpgo [-version V] stdio TOOL ARGS_JSON -- COMMAND ARG...
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
)

func main() {
	version := flag.String("version", "", "protocol version to pin (default: the newest, 2026-07-28)")
	flag.Parse()
	if err := run(*version, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "mcpgo:", err)
		os.Exit(1)
	}
}

func run(version string, args []string) error {
	if len(args) < 3 {
		return fmt.Errorf("usage: mcpgo [-version V] http URL TOOL ARGS_JSON | stdio TOOL ARGS_JSON -- COMMAND ARG...")
	}
	var opts []client.ClientOption
	if version != "" {
		opts = append(opts, client.WithProtocolVersion(version))
	}
	var c *client.Client
	var err error
	var tool, argsJSON string
	switch args[0] {
	case "http":
		tool, argsJSON = args[2], args[3]
		c, err = client.NewStreamableHttpClient(args[1])
		if err == nil {
			c = client.NewClient(c.GetTransport(), opts...)
		}
	case "stdio":
		tool, argsJSON = args[1], args[2]
		if len(args) < 5 || args[3] != "--" {
			return fmt.Errorf("stdio needs -- COMMAND")
		}
		c, err = client.NewStdioMCPClientWithOptions(args[4], nil, args[5:])
		if err == nil {
			c = client.NewClient(c.GetTransport(), opts...)
		}
	default:
		return fmt.Errorf("unknown transport %q", args[0])
	}
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		return fmt.Errorf("start: %w", err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ClientInfo = mcp.Implementation{Name: "mcpgo-test", Version: "1.0.0"}
	init.Params.ProtocolVersion = version
	res, err := c.Initialize(ctx, init)
	if err != nil {
		return fmt.Errorf("initialize: %w", err)
	}
	fmt.Println("protocol", c.ProtocolVersion(), "server", res.ServerInfo.Name)
	tools, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		return fmt.Errorf("tools/list: %w", err)
	}
	for _, t := range tools.Tools {
		fmt.Println("tool", t.Name)
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = tool
	var a map[string]any
	if err := json.Unmarshal([]byte(argsJSON), &a); err != nil {
		return fmt.Errorf("arguments: %w", err)
	}
	req.Params.Arguments = a
	out, err := c.CallTool(ctx, req)
	if err != nil {
		return fmt.Errorf("tools/call: %w", err)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	fmt.Println("result", string(b))
	return nil
}
