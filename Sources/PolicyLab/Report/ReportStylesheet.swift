extension HTMLReport {
    /// The page's CSS: system fonts only (nothing is fetched), tabular figures in tables,
    /// dark-on-white colours with at least 7:1 contrast for text, and print rules that keep
    /// each figure and table on one page and open the manifest.
    static let stylesheet = """
    :root { color-scheme: light; }
    * { box-sizing: border-box; }
    html { background: #ffffff; }
    body { margin: 0; color: \(ReportStyle.ink); background: #ffffff;
      font-family: "Helvetica Neue", Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
      font-size: 15px; line-height: 1.5; }
    main { max-width: 1040px; margin: 0 auto; padding: 28px 32px 48px; }
    header { border-bottom: 3px solid \(ReportStyle.primary); padding-bottom: 10px; margin-bottom: 18px; }
    h1 { font-size: 28px; line-height: 1.2; margin: 0 0 6px; }
    h2 { font-size: 20px; margin: 34px 0 6px; padding-bottom: 4px; border-bottom: 1px solid #c9d0d8; }
    h3 { font-size: 15px; margin: 18px 0 6px; }
    .subtitle { margin: 0 0 10px; color: \(ReportStyle.muted); font-size: 15px; }
    nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 13px; }
    nav a { color: \(ReportStyle.primary); text-decoration: none; }
    nav a:hover, nav a:focus { text-decoration: underline; }
    .summary { background: #eef4fa; border-left: 6px solid \(ReportStyle.primary); padding: 4px 22px 10px; margin: 8px 0 10px; }
    .summary h2 { border: none; margin-top: 12px; }
    .summary p { font-size: 17px; line-height: 1.55; margin: 8px 0; }
    .intro { margin: 4px 0 10px; color: \(ReportStyle.muted); }
    .empty { font-style: italic; color: \(ReportStyle.muted); }
    figure { margin: 8px 0 10px; }
    svg.chart { display: block; width: 100%; height: auto; max-width: 100%; }
    figcaption { font-size: 13px; color: \(ReportStyle.muted); margin-top: 4px; }
    figcaption .note { display: block; color: #8a3b00; }
    table { border-collapse: collapse; margin: 8px 0 4px; font-size: 13px; font-variant-numeric: tabular-nums; }
    caption { text-align: left; font-weight: 600; font-size: 14px; padding: 4px 0; caption-side: top; }
    th, td { padding: 3px 10px; border-bottom: 1px solid #dde2e8; text-align: left; vertical-align: top; }
    th { background: #eef1f4; border-bottom: 2px solid #b8c1cb; font-weight: 600; }
    td.num, th.num { text-align: right; white-space: nowrap; }
    td.withheld { font-style: italic; color: \(ReportStyle.muted); }
    tbody tr:nth-child(even) td { background: #f8f9fb; }
    .table-note { font-size: 12.5px; color: \(ReportStyle.muted); margin: 2px 0 14px; }
    .table-wrap { overflow-x: auto; }
    details { margin: 8px 0; }
    summary { cursor: pointer; color: \(ReportStyle.primary); font-weight: 600; }
    pre.manifest { background: #f6f8fa; border: 1px solid #dde2e8; padding: 12px; font-size: 12px;
      line-height: 1.4; white-space: pre-wrap; word-break: break-all;
      font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; }
    footer { margin-top: 36px; padding-top: 8px; border-top: 1px solid #c9d0d8; font-size: 12.5px; color: \(ReportStyle.muted); }
    @media print {
      @page { margin: 14mm 12mm; }
      body { font-size: 11pt; }
      main { max-width: none; padding: 0; }
      nav { display: none; }
      figure, table, .summary { break-inside: avoid; }
      h2 { break-after: avoid; }
      details > summary { display: none; }
      details::details-content { content-visibility: visible; display: block; }
      pre.manifest { font-size: 8pt; }
      .table-wrap { overflow: visible; }
    }

    """
}
