"""Reports on paper: the daily report for the morning meeting (``daily_pdf``). Pure builders."""
