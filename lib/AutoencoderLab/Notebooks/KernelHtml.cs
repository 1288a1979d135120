namespace AutoencoderLab.Notebooks;

/// <summary>
/// HTML that a .NET Interactive kernel displays as HTML: the kernel's own <c>HtmlString</c>, made by reflection. A plain
/// string given to <c>display(..., "text/html")</c> is shown as text, and calling the kernel's <c>HTML()</c> from a cell
/// makes the Jupyter kernel print warning CS1701 (its Microsoft.AspNetCore.Html.Abstractions 2.3 against the runtime's
/// 10.0); going through reflection needs neither. Outside a kernel the HTML stays a string.
/// </summary>
public static class KernelHtml
{
    static readonly Type? HtmlString = AppDomain.CurrentDomain.GetAssemblies()
        .FirstOrDefault(a => a.GetName().Name == "Microsoft.AspNetCore.Html.Abstractions")?.GetType("Microsoft.AspNetCore.Html.HtmlString");

    /// <summary><paramref name="html"/> as the kernel's HTML content, or the string itself where there is no kernel.</summary>
    public static object Of(string html) => HtmlString is { } type ? Activator.CreateInstance(type, html)! : html;
}
