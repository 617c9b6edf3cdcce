package dev.scopeflow.samples.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser for the Graphviz DOT language (the grammar of graphviz.org/doc/info/lang.html: graph/digraph, node, edge
 * and attribute statements, ID = ID, subgraphs, quoted strings with escapes, comments), written for the tests so that
 * DOT files are checked by code independent of the exporter that wrote them. HTML-like labels are not supported.
 */
public final class DotParser {
  /** A parsed graph: its nodes with attributes (by node ID), edges and subgraph names. */
  public record DotGraph(boolean directed, String name, Map<String, Map<String, String>> nodes, List<Edge> edges,
      List<String> subgraphs) {
    /** The node's label (its ID when it has none). */
    public String label(String nodeId) {
      Map<String, String> attrs = nodes.get(nodeId);
      return attrs != null && attrs.containsKey("label") ? attrs.get("label") : nodeId;
    }
  }

  /** An edge {@code from -> to}. */
  public record Edge(String from, String to, Map<String, String> attrs) {}

  private final String text;
  private int pos;
  private boolean directed;
  private final Map<String, Map<String, String>> nodes = new LinkedHashMap<>();
  private final List<Edge> edges = new ArrayList<>();
  private final List<String> subgraphs = new ArrayList<>();
  private final List<List<String>> openSubgraphs = new ArrayList<>();

  private DotParser(String text) {
    this.text = text;
  }

  /**
   * Parses one graph.
   *
   * @throws IllegalArgumentException naming the line and what was expected, for text that is not DOT
   */
  public static DotGraph parse(String text) {
    DotParser p = new DotParser(text);
    return p.graph();
  }

  private DotGraph graph() {
    String kw = keywordOrId();
    if (kw.equalsIgnoreCase("strict")) {
      kw = keywordOrId();
    }
    if (kw.equalsIgnoreCase("digraph")) {
      directed = true;
    } else if (!kw.equalsIgnoreCase("graph")) {
      throw error("'graph' or 'digraph'");
    }
    String name = peek() == '{' ? "" : id();
    stmtList();
    skipSpace();
    if (pos != text.length()) {
      throw error("end of input after the graph");
    }
    return new DotGraph(directed, name, nodes, edges, subgraphs);
  }

  private void stmtList() {
    expect('{');
    while (peek() != '}') {
      if (peek() == -1) {
        throw error("'}'");
      }
      stmt();
      if (peek() == ';') {
        pos++;
      }
    }
    expect('}');
  }

  private void stmt() {
    List<String> first;
    if (peek() == '{' || lookingAtKeyword("subgraph")) {
      first = subgraph();
    } else {
      String id = id();
      if (peek() == '=') {
        pos++;
        id(); // graph attribute: ID = ID
        return;
      }
      if (id.equalsIgnoreCase("graph") || id.equalsIgnoreCase("node") || id.equalsIgnoreCase("edge")) {
        attrList();
        return;
      }
      skipPort();
      first = List.of(id);
      if (!lookingAtEdgeOp()) {
        mention(id).putAll(peek() == '[' ? attrList() : Map.of());
        return;
      }
      mention(id);
    }
    List<List<String>> chain = new ArrayList<>();
    chain.add(first);
    while (lookingAtEdgeOp()) {
      String op = text.substring(pos, pos + 2);
      if (op.equals("->") != directed) {
        throw error(directed ? "'->' in a digraph" : "'--' in a graph");
      }
      pos += 2;
      if (peek() == '{' || lookingAtKeyword("subgraph")) {
        chain.add(subgraph());
      } else {
        String id = id();
        skipPort();
        mention(id);
        chain.add(List.of(id));
      }
    }
    Map<String, String> attrs = peek() == '[' ? attrList() : Map.of();
    for (int i = 0; i + 1 < chain.size(); i++) {
      for (String from : chain.get(i)) {
        for (String to : chain.get(i + 1)) {
          edges.add(new Edge(from, to, attrs));
        }
      }
    }
  }

  /** Parses a subgraph and returns the nodes it mentions (an edge to a subgraph reaches all of them). */
  private List<String> subgraph() {
    String name = "";
    if (lookingAtKeyword("subgraph")) {
      keywordOrId();
      if (peek() != '{') {
        name = id();
      }
    }
    subgraphs.add(name);
    List<String> mentioned = new ArrayList<>();
    openSubgraphs.add(mentioned);
    stmtList();
    openSubgraphs.remove(openSubgraphs.size() - 1);
    return mentioned;
  }

  /** Records a node statement or edge end: the node exists, and every enclosing subgraph mentions it. */
  private Map<String, String> mention(String id) {
    for (List<String> open : openSubgraphs) {
      if (!open.contains(id)) {
        open.add(id);
      }
    }
    return nodes.computeIfAbsent(id, k -> new LinkedHashMap<>());
  }

  private Map<String, String> attrList() {
    Map<String, String> attrs = new LinkedHashMap<>();
    while (peek() == '[') {
      pos++;
      while (peek() != ']') {
        if (peek() == -1) {
          throw error("']'");
        }
        String key = id();
        expect('=');
        attrs.put(key, id());
        if (peek() == ',' || peek() == ';') {
          pos++;
        }
      }
      pos++;
    }
    return attrs;
  }

  private void skipPort() {
    while (peek() == ':') {
      pos++;
      id();
    }
  }

  private boolean lookingAtEdgeOp() {
    skipSpace();
    return text.startsWith("->", pos) || text.startsWith("--", pos);
  }

  private boolean lookingAtKeyword(String keyword) {
    skipSpace();
    int end = pos + keyword.length();
    return text.regionMatches(true, pos, keyword, 0, keyword.length())
        && (end >= text.length() || !Character.isLetterOrDigit(text.charAt(end)) && text.charAt(end) != '_');
  }

  private String keywordOrId() {
    return id();
  }

  /** An ID: a name, a number, or a double-quoted string (escapes \" and line continuations resolved). */
  private String id() {
    skipSpace();
    if (pos >= text.length()) {
      throw error("an ID");
    }
    char c = text.charAt(pos);
    if (c == '"') {
      StringBuilder sb = new StringBuilder();
      pos++;
      while (true) {
        if (pos >= text.length()) {
          throw error("closing '\"'");
        }
        char d = text.charAt(pos++);
        if (d == '"') {
          break;
        }
        if (d == '\\' && pos < text.length()) {
          char e = text.charAt(pos++);
          if (e == '"') {
            sb.append('"');
          } else if (e == '\n') {
            continue; // line continuation
          } else if (e == 'n') {
            sb.append('\n');
          } else {
            sb.append('\\').append(e);
          }
        } else {
          sb.append(d);
        }
      }
      return sb.toString();
    }
    int start = pos;
    if (Character.isLetter(c) || c == '_' || c >= 0x80) {
      while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
          || text.charAt(pos) >= 0x80)) {
        pos++;
      }
    } else if (Character.isDigit(c) || c == '-' || c == '.') {
      pos++;
      while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
        pos++;
      }
      if (text.substring(start, pos).matches("-?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)")) {
        return text.substring(start, pos);
      }
      pos = start;
      throw error("a number");
    } else {
      throw error("an ID");
    }
    return text.substring(start, pos);
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("'" + c + "'");
    }
    pos++;
  }

  private int peek() {
    skipSpace();
    return pos < text.length() ? text.charAt(pos) : -1;
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (text.startsWith("//", pos) || (c == '#' && atLineStart())) {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
      } else if (text.startsWith("/*", pos)) {
        int end = text.indexOf("*/", pos + 2);
        if (end < 0) {
          throw error("end of comment");
        }
        pos = end + 2;
      } else {
        return;
      }
    }
  }

  private boolean atLineStart() {
    int i = pos - 1;
    while (i >= 0 && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i--;
    }
    return i < 0 || text.charAt(i) == '\n';
  }

  private IllegalArgumentException error(String expected) {
    int line = 1;
    for (int i = 0; i < Math.min(pos, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    String near = text.substring(Math.min(pos, text.length()), Math.min(text.length(), pos + 30));
    return new IllegalArgumentException("DOT line " + line + ": expected " + expected + " at '" + near + "'");
  }
}
