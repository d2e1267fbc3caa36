-- What a figure's value is measured over: the basis and the first year of its span.
ALTER TABLE figure_rows ADD COLUMN basis VARCHAR DEFAULT 'annual';  -- values checked by the figures.critical suite
ALTER TABLE figure_rows ADD COLUMN period_start_year INTEGER;
COMMENT ON COLUMN figure_rows.basis IS 'annual (this year, or a level at a date) | average_annual (年均 over period_start_year–period_year) | cumulative (a total over the span, 累计) 口径';
COMMENT ON COLUMN figure_rows.period_start_year IS 'First year of the span the value covers; equals period_year for annual figures 起始年份';
ALTER TABLE quarantine ADD COLUMN basis VARCHAR;
ALTER TABLE quarantine ADD COLUMN period_start_year INTEGER;
COMMENT ON COLUMN quarantine.basis IS 'annual | average_annual | cumulative 口径';
COMMENT ON COLUMN quarantine.period_start_year IS 'First year of the span the value covers 起始年份';
