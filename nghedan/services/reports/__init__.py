"""Reports: periods and satisfaction, activity, alerts, summaries, supervision, exports."""
