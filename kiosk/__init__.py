"""Self-service kiosk and counter console for Zhengzhou's Resident Service One-Card.

The regulation it serves is Zhengzhou government order No. 249 (郑州市居民服务一卡通规定);
code cites it as "Art. N" where a feature exists because of an article.
"""

__version__ = "0.1.0"
