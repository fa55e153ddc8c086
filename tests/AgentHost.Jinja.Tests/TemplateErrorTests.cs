namespace AgentHost.Jinja.Tests;

/// <summary>Bad templates fail with typed exceptions that locate the problem; nothing crashes or hangs.</summary>
public sealed class TemplateErrorTests
{
    private static string Render(string source, RenderLimits? limits = null) =>
        ChatTemplate.Parse(source).Render(new ChatTemplateInput { Limits = limits ?? RenderLimits.Default });

    [Fact]
    public void Unclosed_block_reports_the_opening_tag()
    {
        var e = Assert.Throws<TemplateSyntaxException>(() => ChatTemplate.Parse("hello\n  {% for m in messages %}\n{{ m }}"));
        Assert.Equal(2, e.Line);
        Assert.Equal(6, e.Column);
        Assert.Contains("endfor", e.Message);
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void Unterminated_string_points_at_the_literal()
    {
        var e = Assert.Throws<TemplateSyntaxException>(() => ChatTemplate.Parse("a\nb\n{{ 'open }}"));
        Assert.Equal(3, e.Line);
        Assert.Equal(4, e.Column);
        Assert.Contains("unterminated string", e.Reason);
    }

    [Theory]
    [InlineData("{% raw %}x{% endraw %}", "raw", 1, 4)]
    [InlineData("x\n{{ a $ b }}", "$", 2, 6)]
    [InlineData("{{ '\\q' }}", "\\q", 1, 5)]
    [InlineData("{% if x %}a{% else %}b{% endfor %}", "endif", 1, 23)]
    [InlineData("{{ 7 // 2 }}", "'/'", 1, 7)]
    [InlineData("{{ }}", "'}}'", 1, 4)]
    [InlineData("{# never closed", "comment", 1, 1)]
    public void Syntax_errors_name_the_problem_and_position(string source, string mention, int line, int column)
    {
        var e = Assert.Throws<TemplateSyntaxException>(() => ChatTemplate.Parse(source));
        Assert.Contains(mention, e.Reason);
        Assert.Equal((line, column), (e.Line, e.Column));
    }

    [Fact]
    public void Runtime_errors_are_located()
    {
        var e = Assert.Throws<TemplateRuntimeException>(() => Render("line one\n  {{ messages | no_such_filter }}"));
        Assert.Contains("no_such_filter", e.Reason);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void Raise_exception_surfaces_the_template_message_and_line()
    {
        const string source = "{%- for m in messages %}\n{%- if m.role == 'tool' %}\n  {{- raise_exception('Role ' ~ m.role ~ ' is not supported') }}\n{%- endif %}{% endfor %}";
        var template = ChatTemplate.Parse(source);
        var input = new ChatTemplateInput { Messages = [new System.Text.Json.Nodes.JsonObject { ["role"] = "tool", ["content"] = "x" }] };
        var e = Assert.Throws<TemplateRaisedException>(() => template.Render(input));
        Assert.Equal("Role tool is not supported", e.TemplateMessage);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void Runaway_macro_recursion_is_stopped_by_the_depth_limit()
    {
        var e = Assert.Throws<TemplateRuntimeException>(() => Render("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"));
        Assert.Contains("depth", e.Reason);
    }

    [Fact]
    public void Recursion_beyond_the_stack_is_stopped_even_without_a_depth_limit()
    {
        var limits = new RenderLimits { MaxMacroDepth = int.MaxValue };
        // run on a small stack so the guard, not the process, gives out first
        Exception? caught = null;
        var thread = new Thread(() => caught = Record.Exception(() => Render("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", limits)), 256 * 1024);
        thread.Start();
        thread.Join();
        var e = Assert.IsType<TemplateRuntimeException>(caught);
        Assert.Contains("too deep", e.Reason);
    }

    [Fact]
    public void Deeply_nested_source_is_rejected_by_the_parser()
    {
        var expr = "{{ " + new string('(', 5000) + "1" + new string(')', 5000) + " }}";
        Assert.Contains("nesting", Assert.Throws<TemplateSyntaxException>(() => ChatTemplate.Parse(expr)).Reason);

        var blocks = string.Concat(Enumerable.Repeat("{% if true %}", 3000)) + "x" + string.Concat(Enumerable.Repeat("{% endif %}", 3000));
        Assert.Contains("nesting", Assert.Throws<TemplateSyntaxException>(() => ChatTemplate.Parse(blocks)).Reason);
    }

    [Fact]
    public void Loop_iterations_are_capped()
    {
        var limits = new RenderLimits { MaxLoopIterations = 10_000 };
        var e = Assert.Throws<TemplateRuntimeException>(() =>
            Render("{% for i in range(1000) %}{% for j in range(1000) %}.{% endfor %}{% endfor %}", limits));
        Assert.Contains("iterations", e.Reason);
    }

    [Fact]
    public void Huge_ranges_and_strings_are_refused()
    {
        Assert.Contains("range()", Assert.Throws<TemplateRuntimeException>(() => Render("{{ range(1000000000) | length }}")).Reason);
        Assert.Contains("repetition", Assert.Throws<TemplateRuntimeException>(() => Render("{{ 'x' * 1000000000 }}")).Reason);
        var limits = new RenderLimits { MaxStringLength = 1 << 20 };
        var e = Assert.Throws<TemplateRuntimeException>(() =>
            Render("{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}", limits));
        Assert.Contains("exceed", e.Reason);
    }

    [Fact]
    public void Break_outside_a_loop_is_an_error()
    {
        Assert.Contains("break", Assert.Throws<TemplateRuntimeException>(() => Render("a{% break %}b")).Reason);
    }

    [Fact]
    public void Unknown_tests_and_non_callables_fail_cleanly()
    {
        Assert.Contains("nosuchtest", Assert.Throws<TemplateRuntimeException>(() => Render("{{ 1 is nosuchtest }}")).Reason);
        Assert.Contains("not a function", Assert.Throws<TemplateRuntimeException>(() => Render("{{ dict(a=1) }}")).Reason);
        Assert.Contains("\"<\"", Assert.Throws<TemplateRuntimeException>(() => Render("{{ 'a' < 'b' }}")).Reason);
    }
}
